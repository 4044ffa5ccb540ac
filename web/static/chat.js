// Minimal chat page. Message text is always inserted with textContent, never as HTML.
(function () {
  "use strict";
  var session = null;
  var log = document.getElementById("transcript");
  var form = document.getElementById("ask");
  var input = document.getElementById("message");

  function bubble(text, who) {
    var p = document.createElement("p");
    p.className = "bubble " + who;
    p.textContent = text;
    log.appendChild(p);
  }

  function show(messages) {
    messages.forEach(function (m) {
      if (m.text) { m.text.split("\n\n").forEach(function (t) { bubble(t, "bot"); }); }
      (m.buttons || []).forEach(function (b) {
        var btn = document.createElement("button");
        btn.type = "button";
        btn.textContent = b.title;
        btn.addEventListener("click", function () { bubble(b.title, "user"); send(b.payload); });
        log.appendChild(btn);
      });
    });
  }

  function post(url, body) {
    return fetch(url, { method: "POST", headers: { "Content-Type": "application/json" },
                        body: JSON.stringify(body) }).then(function (r) { return r.json(); });
  }

  function send(message) {
    post("/api/chat", { message: message, session: session }).then(function (data) {
      if (data.session) { session = data.session; }
      show(data.messages || [{ text: data.error || "Sorry, something went wrong." }]);
    }).catch(function () { bubble("Sorry, I cannot answer right now. In danger now? Call 999.", "bot"); });
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    bubble(text, "user");
    input.value = "";
    send(text);
  });

  post("/api/start", {}).then(function (data) { session = data.session; show(data.messages || []); });
})();
