// The participants' page: join the room with its code, vote on the reply, see what it did.
// Talks only to the server it came from (one websocket); builds the page with textContent only.
// Every word comes from the server in the room's language: the page's own labels are filled in
// as it is served (and sent again as a "page" message when the language changes), and each view
// carries its lines ready to show.
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const CODE_KEY = "roleplay-room-code";
  const params = new URLSearchParams(location.search);
  let code = (params.get("code") || localStorage.getItem(CODE_KEY) || "").toUpperCase();
  let socket = null;
  let retry = 0;
  let stopped = false;
  let state = null;
  let shownBallot = "";

  const strings = {
    connecting: document.body.dataset.connecting,
    enter_code: document.body.dataset.enterCode,
    joining: document.body.dataset.joining,
    reconnecting: document.body.dataset.reconnecting,
  };
  const tokenKey = () => "roleplay-room-token:" + code;
  const status = (text, error = false) => {
    $("status").textContent = text;
    $("status").classList.toggle("error", error);
  };
  const setPhase = (phase) => { document.body.dataset.phase = phase; };

  function askCode(message) {
    stopped = true;
    $("join").hidden = false;
    $("ballot").hidden = true;
    $("reveal").hidden = true;
    setPhase("code");
    status(message || strings.enter_code, Boolean(message));
    $("code").focus();
  }

  function connect() {
    stopped = false;
    const query = new URLSearchParams({ code });
    const token = localStorage.getItem(tokenKey());
    if (token) query.set("token", token);
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    socket = new WebSocket(`${scheme}//${location.host}/ws?${query}`);
    socket.onopen = () => { retry = 0; };
    socket.onmessage = (event) => {
      let message;
      try { message = JSON.parse(event.data); } catch { return; }
      handle(message);
    };
    socket.onclose = () => {
      socket = null;
      if (stopped) return;
      retry = Math.min(retry + 1, 5);
      status(strings.reconnecting, true);
      setTimeout(connect, 400 * 2 ** (retry - 1));
    };
  }

  function relabel(lang, table) {
    if (!table) return;
    Object.assign(strings, table);
    if (lang) document.documentElement.lang = lang;
    for (const element of document.querySelectorAll("[data-text]")) {
      const text = table[element.dataset.text];
      if (typeof text === "string") element.textContent = text;
    }
  }

  function handle(message) {
    switch (message.type) {
      case "page":
        relabel(message.lang, message.strings);
        break;
      case "joined":
        localStorage.setItem(tokenKey(), message.token);
        localStorage.setItem(CODE_KEY, code);
        $("you").textContent = message.you;
        $("join").hidden = true;
        break;
      case "refused":
        stopped = true;
        relabel(null, message.page);
        if (message.reason === "code") {
          localStorage.removeItem(CODE_KEY);
          askCode(message.message);
        } else {
          setPhase("refused");
          status(message.message, true);
        }
        break;
      case "removed":
        stopped = true;
        localStorage.removeItem(tokenKey());
        $("ballot").hidden = true;
        $("reveal").hidden = true;
        setPhase("removed");
        status(message.message, true);
        break;
      case "notice":
        status(message.message, true);
        break;
      case "state":
        render(message);
        break;
    }
  }

  function buildBallot(view) {
    const key = JSON.stringify([view.turn, view.line, view.replies]);
    if (key === shownBallot) return;
    shownBallot = key;
    $("line").textContent = view.line;
    const list = $("replies");
    list.replaceChildren();
    view.replies.forEach((reply, index) => {
      const number = index + 1;
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.choice = String(number);
      const n = document.createElement("span");
      n.className = "n";
      n.textContent = `${number}.`;
      const text = document.createElement("span");
      text.textContent = reply;
      button.append(n, text);
      button.addEventListener("click", () => vote(number));
      item.append(button);
      list.append(item);
    });
  }

  function markVote(vote, enabled) {
    for (const button of $("replies").querySelectorAll("button")) {
      button.setAttribute("aria-pressed", String(Number(button.dataset.choice) === vote));
      button.disabled = !enabled;
    }
  }

  function vote(number) {
    if (!state || state.phase !== "voting" || !socket || socket.readyState !== WebSocket.OPEN) return;
    socket.send(JSON.stringify({ type: "vote", turn: state.turn, choice: number }));
  }

  function render(view) {
    state = view;
    if (view.lang) document.documentElement.lang = view.lang;
    $("you").textContent = view.you;
    setPhase(view.phase);
    const voting = view.phase === "voting" || view.phase === "locked";
    $("ballot").hidden = !voting;
    $("reveal").hidden = !view.reveal;
    if (voting) {
      buildBallot(view);
      $("turn").textContent = view.turn_label || "";
      markVote(view.vote, view.phase === "voting");
      document.body.dataset.vote = view.vote ?? "";
      $("hint").textContent = view.hint || "";
    }
    if (view.reveal) showReveal(view.reveal);
    status(view.status);
  }

  function showReveal(reveal) {
    $("chosen").textContent = reveal.summary;
    const change = reveal.mood_change;
    const mood = $("mood");
    mood.textContent = reveal.mood;
    mood.classList.toggle("up", change > 0);
    mood.classList.toggle("down", change < 0);
    $("given").textContent = reveal.given_text;
    const list = $("coaching");
    list.replaceChildren(...reveal.coaching.map((note) => {
      const item = document.createElement("li");
      item.textContent = note;
      return item;
    }));
    $("closing").textContent = reveal.closing;
  }

  $("join").addEventListener("submit", (event) => {
    event.preventDefault();
    code = $("code").value.replace(/[\s-]/g, "").toUpperCase();
    if (!code) return;
    $("join").hidden = true;
    status(strings.joining);
    connect();
  });

  if (code) connect();
  else askCode();
})();
