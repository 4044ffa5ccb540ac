// The Section 117 aftercare chat widget. Plain JavaScript, no framework, no build step.
//
// Safety rules this file keeps:
// - Message text from the bot or the person is only ever inserted with textContent or
//   createTextNode, never as HTML. Links (phone numbers, web addresses) are made with
//   createElement and their href is checked.
// - The session token lives in sessionStorage only (no cookies: browsers block third-party
//   cookies on partner sites, and the token should die with the tab).
// - Nothing here moves focus when a bot message arrives; the transcript is role="log", so
//   screen readers announce new messages politely.
(function () {
  "use strict";

  var STORE = { session: "s117.session", items: "s117.items", bigger: "s117.bigger",
                contrast: "s117.contrast", area: "s117.area" };
  // Where Exit this page goes: a busy, neutral site (the same choice GOV.UK makes).
  var EXIT_URL = "https://www.bbc.co.uk/weather";
  // Longer than the backend's own Rasa timeout, so the server normally answers first.
  var TIMEOUT_MS = 20000;
  var DEFAULT_BRAND = "#005eb8";
  var MORE_DETAIL = "More detail";

  var $ = function (id) { return document.getElementById(id); };
  var el = {
    html: document.documentElement, bar: $("bar"), chat: $("chat-view"), log: $("transcript"),
    typing: $("typing"), form: $("ask"), input: $("message"), error: $("message-error"),
    announce: $("announce"), exit: $("exit"), bigger: $("bigger-text"),
    contrast: $("high-contrast"), startAgain: $("start-again"), del: $("delete"),
    print: $("print"), printView: $("print-view"), printBody: $("print-body"),
    printDate: $("print-date"), printHeading: $("print-heading"), printNow: $("print-now"),
    printBack: $("print-back")
  };

  var state = { session: null, items: [], busy: false, nextId: 1, speaking: null,
                area: "", exiting: false };
  var canSpeak = "speechSynthesis" in window && typeof window.SpeechSynthesisUtterance === "function";
  var reducedMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  // ------------------------------------------------------------------ storage (session only)
  function load(key) {
    try { return window.sessionStorage.getItem(key); } catch (e) { return null; }
  }
  function save(key, value) {
    try {
      if (value === null) { window.sessionStorage.removeItem(key); }
      else { window.sessionStorage.setItem(key, value); }
    } catch (e) { /* storage full or blocked: the chat still works for this page view */ }
  }
  function saveItems() {
    // Failures are not kept: their Retry button belongs to this page view only.
    var kept = state.items.filter(function (i) { return i.who !== "failure"; });
    save(STORE.items, JSON.stringify(kept));
  }

  // ------------------------------------------------------------------ small helpers
  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }
  function hidden(text) { return make("span", "visually-hidden", text); }
  function say(text) {
    // Re-setting the same text would not be announced again, so clear first.
    el.announce.textContent = "";
    window.setTimeout(function () { el.announce.textContent = text; }, 50);
  }
  function isString(value) { return typeof value === "string" && value.length > 0; }

  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December"];
  function longDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!m || +m[2] < 1 || +m[2] > 12) { return iso || ""; }
    return (+m[3]) + " " + MONTHS[+m[2] - 1] + " " + m[1];
  }

  // Phone numbers become tap-to-call links (85258 is Shout's text line, so sms:), and web
  // addresses become links. Everything else stays text nodes.
  // Not a number inside a longer one: an Ombudsman decision "18 010 781b" is not a phone number.
  var LINKABLE = /(https?:\/\/[^\s<>"]*[^\s<>".,;:!?)])|(?<!\d ?)(0\d{2,4}(?: ?\d{3,4}){1,2}|116 ?123|111|999|85258)(?![\w])/g;
  function appendLinkedText(parent, text) {
    var last = 0;
    text.replace(LINKABLE, function (match, url, phone, offset) {
      parent.appendChild(document.createTextNode(text.slice(last, offset)));
      parent.appendChild(url ? webLink(url, url) : phoneLink(phone));
      last = offset + match.length;
      return match;
    });
    parent.appendChild(document.createTextNode(text.slice(last)));
  }
  function phoneLink(number, sms) {
    var digits = String(number).replace(/[^\d+]/g, "");
    var a = make("a", "phone", number);
    a.href = (sms || digits === "85258" ? "sms:" : "tel:") + digits;
    return a;
  }
  function webLink(href, label) {
    var url;
    try { url = new URL(href); } catch (e) { return document.createTextNode(label); }
    if (url.protocol !== "https:" && url.protocol !== "http:") { return document.createTextNode(label); }
    var a = make("a", null, label);
    a.href = url.href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    a.appendChild(hidden(" (opens in a new tab)"));
    return a;
  }

  // Only our own symbols may be shown as pictures.
  function safeImage(src) {
    return typeof src === "string" && /^\/static\/symbols\/[a-z0-9-]+\.svg$/.test(src) ? src : null;
  }

  // The public sources behind an answer, as the server cites them (content/sources.yml).
  function cleanSources(raw) {
    return (Array.isArray(raw) ? raw : []).filter(function (c) {
      return c && typeof c === "object" && isString(c.title) && isString(c.plain);
    }).map(function (c) {
      return { title: c.title, plain: c.plain, kind: isString(c.kind) ? c.kind : "",
               authority: c.authority === true,
               url: isString(c.url) ? c.url : "", checked: isString(c.checked) ? c.checked : "" };
    });
  }

  // The server's message, checked field by field, so a malformed reply cannot break the page.
  function cleanMessage(raw) {
    if (!raw || typeof raw !== "object") { return null; }
    // A message from the server keeps its details in `custom`; one restored from this tab's
    // storage is already in our own shape, with them at the top.
    var custom = raw.custom && typeof raw.custom === "object" ? raw.custom : raw;
    var buttons = Array.isArray(raw.buttons) ? raw.buttons.filter(function (b) {
      return b && isString(b.title) && isString(b.payload);
    }) : [];
    var msg = {
      text: isString(raw.text) ? raw.text : "",
      buttons: buttons.map(function (b) { return { title: b.title, payload: b.payload }; }),
      image: safeImage(raw.image),
      kind: isString(custom.kind) ? custom.kind : "easy",
      alt: isString(custom.alt) ? custom.alt : "",
      sources: cleanSources(custom.sources),
      response: isString(custom.response) && /^utter_[a-z0-9_]+$/.test(custom.response) ? custom.response : "",
      feedback: raw.feedback === "sent" ? "sent" : "",
      checked: isString(custom.checked) ? custom.checked : "",
      contacts: Array.isArray(custom.contacts) ? custom.contacts.filter(function (c) {
        return c && typeof c === "object";
      }).map(function (c) { return Object.assign({}, c, { sources: cleanSources(c.sources) }); }) : []
    };
    var visible = msg.text || msg.contacts.length || msg.buttons.length;
    return visible ? msg : null;  // never a blank bubble
  }

  // ------------------------------------------------------------------ rendering
  function renderUser(item) {
    var wrap = make("div", "msg user");
    wrap.id = "m" + item.id;
    var bubble = make("p", "bubble");
    if (item.chosen) {
      bubble.textContent = "You chose: " + item.text;
    } else {
      bubble.appendChild(hidden("You said: "));
      bubble.appendChild(document.createTextNode(item.text));
    }
    wrap.appendChild(bubble);
    return wrap;
  }

  function renderBubbles(parent, msg) {
    msg.text.split(/\n\s*\n/).forEach(function (paragraph) {
      if (!paragraph.trim()) { return; }
      var p = make("p", "bubble");
      appendLinkedText(p, paragraph.trim());
      parent.appendChild(p);
    });
    if (msg.contacts.length) { parent.appendChild(renderContacts(msg.contacts)); }
  }

  function renderContacts(contacts) {
    var list = make("ul", "contacts");
    contacts.forEach(function (c) {
      var li = make("li", "contact");
      if (isString(c.who)) { li.appendChild(make("p", "contact-who", c.who)); }
      if (isString(c.what_for)) { li.appendChild(make("p", null, c.what_for)); }
      var ways = make("p", "contact-ways");
      if (isString(c.phone)) { ways.appendChild(document.createTextNode("Phone: ")); ways.appendChild(phoneLink(c.phone)); }
      if (isString(c.text)) { ways.appendChild(document.createTextNode(" Text: ")); ways.appendChild(phoneLink(c.text, true)); }
      if (isString(c.email) && /^[^\s@<>]+@[^\s@<>]+$/.test(c.email)) {
        var mail = make("a", null, c.email);
        mail.href = "mailto:" + c.email;
        ways.appendChild(document.createTextNode(" Email: "));
        ways.appendChild(mail);
      }
      if (isString(c.web)) { ways.appendChild(document.createTextNode(" Website: ")); ways.appendChild(webLink(c.web, c.web)); }
      if (ways.childNodes.length) { li.appendChild(ways); }
      if (isString(c.address)) { li.appendChild(make("p", null, "Address: " + c.address)); }
      if (isString(c.hours)) { li.appendChild(make("p", null, "Open: " + c.hours)); }
      // The note says where to find details we do not have, or what to check first.
      if (isString(c.note)) { li.appendChild(make("p", "contact-note", c.note)); }
      var meta = renderMeta(c.sources, c.checked, false);
      if (meta) { li.appendChild(meta); }
      list.appendChild(li);
    });
    return list;
  }

  // The one or two sources an easy-read answer names. Several subsections of one Act read the
  // same in plain words, so each plain name is used once.
  function shownSources(sources) {
    var named = [];
    sources.forEach(function (c) {
      if (named.length < 2 && !named.some(function (n) { return n.plain === c.plain; })) { named.push(c); }
    });
    return named;
  }

  // Where an answer comes from. Easy read: one or two sources in plain words ("From: the Mental
  // Health Act 1983, section 117. Checked 30 November 2026."). More detail: every source, cited
  // as a professional would, with its web address, for an advocate to quote.
  function renderMeta(sources, checked, full) {
    // A prompt that states no fact ("Did you mean...?") names no source and shows no line.
    if (!sources.length) { return null; }
    var checkedText = isString(checked) ? "Checked " + longDate(checked) + "." : "";
    if (!full) {
      var p = make("p", "meta");
      if (sources.length) {
        p.appendChild(document.createTextNode("From: "));
        var named = shownSources(sources);
        named.forEach(function (c, i) {
          if (i) { p.appendChild(document.createTextNode(" and ")); }
          p.appendChild(c.url ? webLink(c.url, c.plain) : document.createTextNode(c.plain));
        });
        p.appendChild(document.createTextNode(". "));
      }
      p.appendChild(document.createTextNode(checkedText));
      return p;
    }
    var box = make("div", "meta sources");
    // The law, statutory guidance, cases and Ombudsman decisions first: what an advocate quotes.
    var authorities = sources.filter(function (c) { return c.authority; });
    var others = sources.filter(function (c) { return !c.authority; });
    [[authorities.length ? "The law and decisions you can cite:" : "Sources:", authorities.length ? authorities : others],
     [authorities.length ? "Other sources:" : "", authorities.length ? others : []]].forEach(function (group) {
      if (!group[1].length) { return; }
      box.appendChild(make("p", "sources-heading", group[0]));
      var list = make("ul", "source-list");
      group[1].forEach(function (c) {
        var li = make("li");
        li.appendChild(c.url ? webLink(c.url, c.title) : make("span", "source-title", c.title));
        if (c.kind) { li.appendChild(document.createTextNode(" (" + c.kind.toLowerCase() + ")")); }
        li.appendChild(document.createTextNode("."));
        list.appendChild(li);
      });
      box.appendChild(list);
    });
    if (checkedText) { box.appendChild(make("p", null, "This answer was " + checkedText.charAt(0).toLowerCase() + checkedText.slice(1))); }
    return box;
  }

  // One of our symbols, drawn beside a message (64 px, with its alt text).
  function symbol(src, alt) {
    var img = make("img", "symbol");
    img.src = src;
    img.alt = alt;
    img.width = 64;
    img.height = 64;
    return img;
  }

  function renderBot(item) {
    var msg = item.msg;
    var wrap = make("div", "msg bot kind-" + msg.kind.replace(/[^a-z]/g, ""));
    wrap.id = "m" + item.id;
    var row = make("div", "msg-row");
    if (msg.image) {
      row.appendChild(symbol(msg.image, msg.alt));
    }
    var body = make("div", "bubbles");
    body.appendChild(hidden("The helper said: "));
    renderBubbles(body, msg);
    row.appendChild(body);
    wrap.appendChild(row);
    var meta = renderMeta(msg.sources, msg.checked, msg.kind === "detail");
    if (meta) { wrap.appendChild(meta); }

    var actions = make("div", "actions");
    if (canSpeak && (msg.text || msg.contacts.length)) {
      var read = make("button", "read-aloud", "Read aloud");
      read.type = "button";
      read.addEventListener("click", function () { toggleSpeech(read, item); });
      actions.appendChild(read);
    }
    var detailButton = null;
    msg.buttons.forEach(function (b) {
      if (b.title === MORE_DETAIL) { detailButton = b; }
    });
    if (detailButton) {
      var detailId = "d" + item.id;
      var toggle = make("button", "more-detail", MORE_DETAIL);
      toggle.type = "button";
      toggle.setAttribute("aria-expanded", item.detail && item.detailOpen ? "true" : "false");
      toggle.setAttribute("aria-controls", detailId);
      toggle.addEventListener("click", function () { toggleDetail(item, toggle, detailButton); });
      actions.appendChild(toggle);
      var detail = make("div", "detail");
      detail.id = detailId;
      detail.hidden = !(item.detail && item.detailOpen);
      if (item.detail) { fillDetail(detail, item.detail); }
      wrap.appendChild(actions);
      wrap.appendChild(detail);
    } else if (actions.childNodes.length) {
      wrap.appendChild(actions);
    }

    var askHelp = renderFeedback(msg, "f" + item.id);
    if (askHelp) { wrap.appendChild(askHelp); }

    var choices = msg.buttons.filter(function (b) { return b.title !== MORE_DETAIL; });
    if (choices.length && !item.chose) {
      var group = make("div", "choices");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", "Choices");
      choices.forEach(function (b) {
        var button = make("button", "choice", b.title);
        button.type = "button";
        button.addEventListener("click", function () { choose(item, group, b); });
        group.appendChild(button);
      });
      wrap.appendChild(group);
    }
    return wrap;
  }

  function fillDetail(container, msg) {
    container.replaceChildren();
    var row = make("div", "msg-row");
    if (msg.image) {
      row.appendChild(symbol(msg.image, msg.alt));
    }
    var body = make("div", "bubbles");
    body.appendChild(make("h3", "detail-heading", MORE_DETAIL));
    renderBubbles(body, msg);
    row.appendChild(body);
    container.appendChild(row);
    var meta = renderMeta(msg.sources, msg.checked, true);
    if (meta) { container.appendChild(meta); }
    var askHelp = renderFeedback(msg, container.id.replace(/^d/, "g"));
    if (askHelp) { container.appendChild(askHelp); }
  }

  // ------------------------------------------------------------------ Did this help?
  // Under each answer that states facts (not under the crisis answer). The answer is sent to
  // the server with the response's name only; it never goes into the transcript.
  var WRONG = [["not_answered", "It did not answer my question"],
               ["hard_to_understand", "It was hard to understand"],
               ["wrong_or_out_of_date", "Something is wrong or out of date"],
               ["other", "Other"]];
  function wantsFeedback(msg) {
    return msg.response && msg.response !== "utter_welcome" && msg.kind !== "crisis" &&
      msg.kind !== "error" &&
      (msg.sources.length > 0 || msg.kind === "contacts");
  }

  function renderFeedback(msg, id) {
    if (!wantsFeedback(msg)) { return null; }
    var box = make("div", "feedback");
    box.id = id;
    if (msg.feedback === "sent") {
      box.appendChild(make("p", "feedback-thanks", "Thank you for telling us."));
      return box;
    }
    var question = make("p", "feedback-question", "Did this help?");
    question.id = id + "-q";
    var group = make("div", "feedback-buttons");
    group.setAttribute("role", "group");
    group.setAttribute("aria-labelledby", question.id);
    var yes = make("button", "feedback-yes", "Yes");
    var no = make("button", "feedback-no", "No");
    yes.type = no.type = "button";
    yes.addEventListener("click", function () { sendFeedback(msg, box, true, [], ""); });
    no.addEventListener("click", function () { askWhatWasWrong(msg, box); });
    group.appendChild(yes);
    group.appendChild(no);
    box.appendChild(question);
    box.appendChild(group);
    return box;
  }

  function askWhatWasWrong(msg, box) {
    var id = box.id;
    box.replaceChildren();
    var form = make("form", "feedback-form");
    form.noValidate = true;
    var set = make("fieldset");
    set.appendChild(make("legend", null, "What was wrong? Pick any that fit."));
    WRONG.forEach(function (choice) {
      var row = make("div", "feedback-choice");
      var box2 = make("input");
      box2.type = "checkbox";
      box2.id = id + "-" + choice[0];
      box2.value = choice[0];
      var label = make("label", null, choice[1]);
      label.htmlFor = box2.id;
      row.appendChild(box2);
      row.appendChild(label);
      set.appendChild(row);
    });
    form.appendChild(set);
    var commentLabel = make("label", "feedback-comment-label", "Tell us more (you do not have to)");
    commentLabel.htmlFor = id + "-comment";
    var warning = make("p", "hint", "Do not write your name, address or anything that could " +
                       "identify you. Up to 300 characters.");
    warning.id = id + "-warning";
    var comment = make("textarea");
    comment.id = id + "-comment";
    comment.maxLength = 300;
    comment.rows = 3;
    comment.setAttribute("aria-describedby", warning.id);
    var sendButton = make("button", "feedback-send", "Send");
    sendButton.type = "submit";
    form.appendChild(commentLabel);
    form.appendChild(warning);
    form.appendChild(comment);
    form.appendChild(sendButton);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var reasons = Array.prototype.filter.call(form.querySelectorAll("input:checked"),
        function () { return true; }).map(function (b) { return b.value; });
      sendFeedback(msg, box, false, reasons, comment.value.slice(0, 300));
    });
    box.appendChild(form);
    // Show the whole question where it fits, so nothing a keyboard user tabs to is cut off,
    // then put focus on its first choice. At once, not smoothly: a smooth scroll still running
    // when the next Tab scrolls the comment box into view could carry it under the sticky bar.
    form.scrollIntoView({ block: "nearest", behavior: "auto" });
    form.querySelector("input").focus({ preventScroll: true });
  }

  function sendFeedback(msg, box, helpful, reasons, comment) {
    if (!state.session) { return; }
    var body = { session: state.session, response: msg.response, helpful: helpful };
    if (!helpful) { body.reasons = reasons; body.comment = comment; }
    post("/api/feedback", body).then(function (r) {
      if (r.status !== 200) { throw new Error("refused " + r.status); }
      msg.feedback = "sent";
      saveItems();
      box.replaceChildren();
      var thanks = make("p", "feedback-thanks", "Thank you for telling us.");
      thanks.tabIndex = -1;
      box.appendChild(thanks);
      thanks.focus();  // the button pressed is gone: keep the place
      say("Thank you for telling us.");
    }).catch(function () {
      var old = box.querySelector(".feedback-error");
      if (old) { old.remove(); }
      var error = make("p", "error feedback-error", "Sorry, that did not send. Please try again.");
      error.setAttribute("role", "alert");
      box.appendChild(error);
    });
  }

  // A failure the widget notices itself: the server did not answer, or answered nonsense.
  function renderFailure(item) {
    var wrap = make("div", "msg bot kind-error failure");
    wrap.id = "m" + item.id;
    var row = make("div", "msg-row");
    row.appendChild(symbol("/static/symbols/crisis.svg", "A phone with a heart"));
    var body = make("div", "bubbles");
    body.appendChild(hidden("The helper said: "));
    [item.text,
     "If you need help now, call 999 or go to A&E if you are in danger.",
     "Call 111 and choose the mental health option (often option 2). In Wales, call 111 and press 2.",
     "Call Samaritans free on 116 123, any time. Or text Shout on 85258."
    ].forEach(function (t) { var p = make("p", "bubble"); appendLinkedText(p, t); body.appendChild(p); });
    row.appendChild(body);
    wrap.appendChild(row);
    if (item.retry) {
      var actions = make("div", "choices");
      var retry = make("button", "choice retry", item.retryLabel || "Try again");
      retry.type = "button";
      retry.addEventListener("click", function () {
        removeItem(item);
        item.retry();
      });
      actions.appendChild(retry);
      wrap.appendChild(actions);
    }
    return wrap;
  }

  function render(item) {
    if (item.who === "user") { return renderUser(item); }
    if (item.who === "failure") { return renderFailure(item); }
    return renderBot(item);
  }

  function addItem(item) {
    item.id = state.nextId++;
    state.items.push(item);
    var node = render(item);
    el.log.appendChild(node);
    saveItems();
    return node;
  }

  function removeItem(item) {
    state.items = state.items.filter(function (i) { return i !== item; });
    var node = $("m" + item.id);
    if (node) { node.remove(); }
    saveItems();
  }

  // Bring the new answer into view without moving focus: show it with the question box under
  // it when both fit, otherwise the start of the answer.
  function reveal(node) {
    if (!node) { return; }
    var top = node.getBoundingClientRect().top;
    var formBottom = el.form.getBoundingClientRect().bottom;
    var barHeight = stickyBarHeight();
    var room = window.innerHeight - barHeight - 16;
    var delta = formBottom - top <= room ? formBottom - window.innerHeight + 8 : top - barHeight - 8;
    if (delta > 0) { window.scrollBy({ top: delta, behavior: reducedMotion ? "auto" : "smooth" }); }
  }

  // ------------------------------------------------------------------ talking to the server
  // Resolves {status, data} for any JSON answer; rejects when there is no usable answer
  // (network down, time-out, a 5xx or a body that is not JSON).
  function post(url, body) {
    var controller = "AbortController" in window ? new AbortController() : null;
    var timer = controller ? window.setTimeout(function () { controller.abort(); }, TIMEOUT_MS) : null;
    return fetch(url, {
      method: "POST", headers: { "Content-Type": "application/json" }, credentials: "omit",
      body: JSON.stringify(body), signal: controller ? controller.signal : undefined
    }).then(function (response) {
      if (response.status >= 500) { throw new Error("server error " + response.status); }
      return response.json().then(function (data) {
        if (!data || typeof data !== "object") { throw new Error("not an object"); }
        return { status: response.status, data: data };
      });
    }).finally(function () { if (timer) { window.clearTimeout(timer); } });
  }

  function setBusy(busy) {
    state.busy = busy;
    el.log.setAttribute("aria-busy", "false");  // never hide new messages from screen readers
    el.typing.textContent = busy ? "The helper is typing…" : "";
    el.typing.classList.toggle("active", busy);
  }

  function showMessages(messages) {
    var first = null;
    messages.forEach(function (m) {
      var node = addItem({ who: "bot", msg: m, detail: null, detailOpen: false, chose: false });
      first = first || node;
    });
    return first;
  }

  function failure(text, retry, retryLabel) {
    el.error.textContent = "Sorry, the helper is not answering right now.";
    return addItem({ who: "failure", text: text, retry: retry, retryLabel: retryLabel });
  }

  var NOT_ANSWERING = "Sorry, the helper is not answering right now. Please try again in a minute.";

  function start() {
    setBusy(true);
    var body = state.area ? { area: state.area } : {};
    return post("/api/start", body).then(function (r) {
      setBusy(false);
      var messages = (r.data.messages || []).map(cleanMessage).filter(Boolean);
      if (r.status !== 200 || !isString(r.data.session) || !messages.length) {
        reveal(failure(isString(r.data.error) ? r.data.error : NOT_ANSWERING, start));
        return;
      }
      state.session = r.data.session;
      save(STORE.session, state.session);
      showMessages(messages);
    }).catch(function () {
      setBusy(false);
      reveal(failure(NOT_ANSWERING, start));
    });
  }

  // Sends what the person typed, or a button's payload (returned verbatim, it is signed).
  function send(message, onReply) {
    if (state.busy) {
      el.error.textContent = "Please wait for the answer.";
      return;
    }
    if (!state.session) {
      // No conversation yet (the welcome failed): start one, then send.
      start().then(function () { if (state.session) { send(message, onReply); } });
      return;
    }
    el.error.textContent = "";
    setBusy(true);
    var retry = function () { send(message, onReply); };
    post("/api/chat", { message: message, session: state.session }).then(function (r) {
      setBusy(false);
      handleReply(r, retry, onReply);
    }).catch(function () {
      setBusy(false);
      reveal(failure(NOT_ANSWERING, retry));
    });
  }

  function handleReply(r, retry, onReply) {
    var data = r.data;
    if (r.status === 200) {
      var messages = (Array.isArray(data.messages) ? data.messages : []).map(cleanMessage).filter(Boolean);
      if (!messages.length) { reveal(failure(NOT_ANSWERING, retry)); return; }
      if (isString(data.session)) { state.session = data.session; save(STORE.session, data.session); }
      if (onReply) { messages = onReply(messages); }
      reveal(showMessages(messages));
      return;
    }
    var words = isString(data.error) ? data.error : "Sorry, something went wrong.";
    if (r.status === 403) {
      // The server no longer knows this conversation: offer a fresh one.
      state.session = null;
      save(STORE.session, null);
      reveal(failure(words, function () { startAgain(); }, "Start again"));
    } else if (r.status === 413 || r.status === 422) {
      el.error.textContent = words;  // about what was typed: shown by the question box
      el.input.setAttribute("aria-invalid", "true");
    } else if (r.status === 429) {
      reveal(failure(words, retry));
    } else {
      reveal(failure(words, null));
    }
  }

  // ------------------------------------------------------------------ buttons in messages
  function choose(item, group, button) {
    if (state.busy) { el.error.textContent = "Please wait for the answer."; return; }
    item.chose = true;
    group.remove();
    // Keep the choice in the transcript as words, and put focus there (the button is gone).
    var node = addItem({ who: "user", text: button.title, chosen: true });
    var bubble = node.querySelector(".bubble");
    bubble.tabIndex = -1;
    bubble.focus();
    send(button.payload);
  }

  function toggleDetail(item, toggle, button) {
    var panel = $(toggle.getAttribute("aria-controls"));
    if (item.detail) {
      item.detailOpen = !item.detailOpen;
      panel.hidden = !item.detailOpen;
      toggle.setAttribute("aria-expanded", String(item.detailOpen));
      saveItems();
      return;
    }
    // First press: ask the server. The detail is shown in place, under this answer; anything
    // else in the reply (for example "no more detail") goes to the end as usual.
    send(button.payload, function (messages) {
      var detail = null;
      var rest = messages.filter(function (m) {
        if (!detail && m.kind === "detail") { detail = m; return false; }
        return true;
      });
      if (detail) {
        item.detail = detail;
        item.detailOpen = true;
        fillDetail(panel, detail);
        panel.hidden = false;
        toggle.setAttribute("aria-expanded", "true");
        saveItems();
        // The log only announces additions at the end, so say that the detail opened.
        say("More detail is open under the answer.");
      }
      return rest;
    });
  }

  // ------------------------------------------------------------------ read aloud
  function plainText(item) {
    var msg = item.msg;
    var parts = [msg.text];
    msg.contacts.forEach(function (c) {
      parts.push([c.who, c.what_for, c.phone && "Phone " + c.phone, c.address, c.hours, c.note]
        .filter(isString).join(". "));
    });
    if (item.detail && item.detailOpen) { parts.push(item.detail.text); }
    // Read words, not symbols: drop pictures' characters, arrows and bullets.
    return parts.join("\n").replace(/[^\p{L}\p{N}\s.,;:!?'’()&£%\-]/gu, " ").replace(/\s+/g, " ").trim();
  }

  function stopSpeaking() {
    if (!canSpeak) { return; }
    window.speechSynthesis.cancel();
    if (state.speaking) { state.speaking.textContent = "Read aloud"; state.speaking = null; }
  }

  function toggleSpeech(button, item) {
    var wasThis = state.speaking === button;
    stopSpeaking();
    if (wasThis) { return; }
    var utterance = new window.SpeechSynthesisUtterance(plainText(item));
    utterance.lang = "en-GB";
    utterance.rate = 0.9;
    utterance.onend = utterance.onerror = function () {
      if (state.speaking === button) { button.textContent = "Read aloud"; state.speaking = null; }
    };
    state.speaking = button;
    button.textContent = "Stop reading";
    window.speechSynthesis.speak(utterance);
  }

  // ------------------------------------------------------------------ the tools
  function clearConversation() {
    stopSpeaking();
    state.items = [];
    state.session = null;
    el.log.replaceChildren();
    el.error.textContent = "";
    save(STORE.session, null);
    save(STORE.items, null);
  }

  function startAgain() {
    clearConversation();
    say("Started again.");
    return start();
  }

  function forgetOnServer(session, keepalive) {
    return fetch("/api/forget", {
      method: "POST", headers: { "Content-Type": "application/json" }, credentials: "omit",
      body: JSON.stringify({ session: session }), keepalive: !!keepalive
    });
  }

  function deleteConversation() {
    var session = state.session;
    var done = function () {
      clearConversation();
      say("Your conversation is deleted, on this device and on our computer.");
      start();
    };
    if (!session) { done(); return; }
    forgetOnServer(session).then(function (response) {
      if (!response.ok) { throw new Error("status " + response.status); }
      done();
    }).catch(function () {
      el.error.textContent = "Sorry, we could not delete your conversation. Please try again.";
    });
  }

  // Exit this page: leave for a neutral site, and leave nothing of the conversation behind.
  function exitPage() {
    if (state.exiting) { return; }
    state.exiting = true;
    var session = state.session;
    clearConversation();
    Object.keys(STORE).forEach(function (k) { save(STORE[k], null); });
    el.chat.hidden = true;
    el.printView.hidden = true;
    document.title = "BBC Weather";
    if (session) { try { forgetOnServer(session, true).catch(function () {}); } catch (e) { /* leave anyway */ } }
    if (window.top !== window.self) {
      // Inside a partner's page: ask embed.js to move the whole page away too.
      try { window.parent.postMessage({ type: "s117-exit" }, "*"); } catch (e) { /* ignore */ }
      try { window.top.location.replace(EXIT_URL); return; } catch (e) { /* cross-origin: below */ }
    }
    window.location.replace(EXIT_URL);
  }

  // Shift pressed 3 times within 5 seconds. A Shift used for a capital letter does not count,
  // and any other key starts the count again, so typing never exits by accident.
  var shiftPresses = [];
  var shiftUsedWithOtherKey = false;
  document.addEventListener("keydown", function (e) {
    if (e.key === "Shift") {
      if (!e.repeat) { shiftUsedWithOtherKey = false; }
    } else {
      shiftPresses = [];
      shiftUsedWithOtherKey = true;
    }
  }, true);
  document.addEventListener("keyup", function (e) {
    if (e.key !== "Shift" || shiftUsedWithOtherKey) { return; }
    var now = Date.now();
    shiftPresses = shiftPresses.filter(function (t) { return now - t < 5000; });
    shiftPresses.push(now);
    if (shiftPresses.length >= 3) { exitPage(); }
  }, true);

  function setSwitch(button, className, key, on) {
    el.html.classList.toggle(className, on);
    button.setAttribute("aria-pressed", String(on));
    save(key, on ? "1" : null);
  }

  // ------------------------------------------------------------------ print or save
  function buildPrintView() {
    var body = el.printBody;
    body.replaceChildren();
    el.printDate.textContent = "Saved on " + new Date().toLocaleDateString("en-GB",
      { day: "numeric", month: "long", year: "numeric" }) + ".";
    var shown = 0;
    var used = [];  // every source behind the answers shown, once, in the order first used
    function remember(sources) {
      sources.forEach(function (c) {
        if (!used.some(function (u) { return u.title === c.title; })) { used.push(c); }
      });
    }
    state.items.forEach(function (item) {
      if (item.who === "user") {
        body.appendChild(make("h2", "print-question",
          (item.chosen ? "You chose: " : "You asked: ") + item.text));
        return;
      }
      if (item.who !== "bot" || item.msg.kind === "error") { return; }
      var block = make("div", "print-answer");
      [item.msg].concat(item.detail ? [item.detail] : []).forEach(function (msg, index) {
        var row = make("div", "msg-row");
        if (msg.image) {
          row.appendChild(symbol(msg.image, msg.alt));
        }
        var text = make("div", "bubbles");
        if (index === 1) { text.appendChild(make("h3", "detail-heading", MORE_DETAIL)); }
        renderBubbles(text, msg);
        row.appendChild(text);
        block.appendChild(row);
        var meta = renderMeta(msg.sources, msg.checked, false);
        if (meta) { block.appendChild(meta); }
        remember(index === 1 || msg.kind === "detail" ? msg.sources : shownSources(msg.sources));
        msg.contacts.forEach(function (c) { remember(c.sources); });
      });
      body.appendChild(block);
      shown++;
    });
    if (!shown) { body.appendChild(make("p", null, "There are no answers yet.")); }
    if (used.length) { body.appendChild(referenceList(used)); }
  }

  // The print view ends with the sources it used, web addresses written out, so a printed
  // page can still be looked up.
  function referenceList(sources) {
    var section = make("section", "references");
    section.setAttribute("aria-labelledby", "references-heading");
    var heading = make("h2", null, "Where these answers come from");
    heading.id = "references-heading";
    section.appendChild(heading);
    var list = make("ol", "reference-list");
    sources.forEach(function (c) {
      var li = make("li");
      li.appendChild(document.createTextNode(c.title + (c.kind ? " (" + c.kind.toLowerCase() + ")" : "") + "."));
      if (c.url) {
        li.appendChild(document.createTextNode(" "));
        li.appendChild(webLink(c.url, c.url));
      }
      if (c.checked) { li.appendChild(document.createTextNode(" Checked " + longDate(c.checked) + ".")); }
      list.appendChild(li);
    });
    section.appendChild(list);
    return section;
  }

  function openPrintView() {
    stopSpeaking();
    buildPrintView();
    el.chat.hidden = true;
    el.printView.hidden = false;
    document.title = "My section 117 answers";
    el.printHeading.focus();
  }

  function closePrintView() {
    el.printView.hidden = true;
    el.chat.hidden = false;
    document.title = "Section 117 aftercare helper";
    el.print.focus();
  }

  // ------------------------------------------------------------------ partner settings
  function luminance(hex) {
    var rgb = [1, 3, 5].map(function (i) {
      var c = parseInt(hex.substr(i, 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
  }
  // The partner's colour is used behind white text and as text on white, so it needs 4.5:1
  // against white; otherwise the default colour is used.
  function brandColour(raw) {
    if (!/^#[0-9a-fA-F]{6}$/.test(raw || "")) { return DEFAULT_BRAND; }
    return (1.05) / (luminance(raw) + 0.05) >= 4.5 ? raw.toLowerCase() : DEFAULT_BRAND;
  }

  function readSettings() {
    var params = new URLSearchParams(window.location.search);
    var area = (params.get("area") || load(STORE.area) || "").toLowerCase();
    state.area = /^[a-z0-9-]{1,40}$/.test(area) ? area : "";
    save(STORE.area, state.area || null);
    var colour = brandColour(params.get("colour"));
    el.html.style.setProperty("--partner", colour);  // CSSOM: allowed by the CSP
    el.html.setAttribute("data-brand", colour);
    if (params.get("embed") === "1") { el.html.classList.add("embedded"); }
  }

  // Keep focused things clear of the sticky bar (it is only sticky on tall screens).
  function stickyBarHeight() {
    return window.getComputedStyle(el.bar).position === "sticky" ? el.bar.offsetHeight : 0;
  }
  function updateScrollPadding() {
    el.html.style.setProperty("--bar-height", stickyBarHeight() + "px");
  }

  // ------------------------------------------------------------------ start-up
  function restore() {
    var session = load(STORE.session);
    var items;
    try { items = JSON.parse(load(STORE.items) || "null"); } catch (e) { items = null; }
    if (!isString(session) || !Array.isArray(items) || !items.length) { return false; }
    state.session = session;
    items.forEach(function (raw) {
      if (!raw || (raw.who !== "user" && raw.who !== "bot")) { return; }
      if (raw.who === "user" && !isString(raw.text)) { return; }
      if (raw.who === "bot") {
        raw.msg = cleanMessage(raw.msg);
        raw.detail = raw.detail ? cleanMessage(raw.detail) : null;
        if (!raw.msg) { return; }
      }
      addItem(raw);
    });
    return state.items.length > 0;
  }

  function init() {
    readSettings();
    setSwitch(el.bigger, "bigger-text", STORE.bigger, load(STORE.bigger) === "1");
    setSwitch(el.contrast, "high-contrast", STORE.contrast, load(STORE.contrast) === "1");
    updateScrollPadding();
    if ("ResizeObserver" in window) { new ResizeObserver(updateScrollPadding).observe(el.bar); }
    window.addEventListener("resize", updateScrollPadding);

    el.form.addEventListener("submit", function (e) {
      e.preventDefault();
      var text = el.input.value.trim();
      if (!text) {
        el.error.textContent = "Please type a question first.";
        el.input.setAttribute("aria-invalid", "true");
        return;
      }
      if (state.busy) { el.error.textContent = "Please wait for the answer."; return; }
      el.input.removeAttribute("aria-invalid");
      addItem({ who: "user", text: text });
      el.input.value = "";
      send(text);
    });
    el.input.addEventListener("input", function () {
      if (el.input.getAttribute("aria-invalid")) { el.input.removeAttribute("aria-invalid"); el.error.textContent = ""; }
    });
    el.exit.addEventListener("click", exitPage);
    el.bigger.addEventListener("click", function () {
      setSwitch(el.bigger, "bigger-text", STORE.bigger, el.bigger.getAttribute("aria-pressed") !== "true");
      updateScrollPadding();
    });
    el.contrast.addEventListener("click", function () {
      setSwitch(el.contrast, "high-contrast", STORE.contrast, el.contrast.getAttribute("aria-pressed") !== "true");
    });
    el.startAgain.addEventListener("click", startAgain);
    el.del.addEventListener("click", deleteConversation);
    el.print.addEventListener("click", openPrintView);
    el.printBack.addEventListener("click", closePrintView);
    el.printNow.addEventListener("click", function () { window.print(); });
    $("help-link").addEventListener("click", function () {
      // Following the link also moves keyboard focus to the numbers (the section is focusable).
      if (!el.printView.hidden) { closePrintView(); }
      window.setTimeout(function () { $("help-now").focus(); }, 0);
    });

    if (!restore()) { start(); }
  }

  init();
}());
