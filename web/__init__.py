"""The public web backend: the only port the outside world can reach."""
