// The web simulator: send messages through the console, show replies and the fake API's calls.
(function () {
  "use strict";
  var root = document.getElementById("simulator");
  if (!root) { return; }
  var chat = document.getElementById("chat");
  var who = document.getElementById("who");
  var openid = document.getElementById("openid");
  var openidLabel = document.getElementById("openid-label");
  var whoName = document.getElementById("who-name");
  var text = document.getElementById("text");
  var callsList = document.getElementById("calls");
  var callsStatus = document.getElementById("calls-status");
  var since = 0;

  function bubble(kind, content) {
    var div = document.createElement("div");
    div.className = "bubble " + kind;
    div.textContent = content;
    chat.appendChild(div);
    chat.scrollTop = chat.scrollHeight;
    return div;
  }

  function send(fields, shown) {
    var body = new URLSearchParams(fields);
    body.set("csrf", root.dataset.csrf);
    body.set("who", who.value);
    body.set("resident", openid.value);
    bubble("me", shown);
    var waiting = bubble("note", "…");
    fetch(root.dataset.send, {method: "POST", body: body, credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (data) {
        waiting.remove();
        if (data.error) { bubble("note", "⚠ " + data.error); }
        else { bubble("bot", data.reply || "（无回复 no reply）"); }
        setTimeout(pollCalls, 800);  // the worker delivers notifications a moment later
      })
      .catch(function (error) { waiting.remove(); bubble("note", "⚠ " + error); });
  }

  document.getElementById("compose").addEventListener("submit", function (event) {
    event.preventDefault();
    var message = text.value.trim();
    if (!message) { return; }
    text.value = "";
    send({kind: "text", text: message}, message);
  });

  root.querySelectorAll(".menu button").forEach(function (button) {
    button.addEventListener("click", function () {
      send({kind: "menu", key: button.dataset.key}, "[菜单 " + button.textContent + "]");
    });
  });

  who.addEventListener("change", function () {
    var resident = who.value === "resident";
    openidLabel.hidden = !resident;
    whoName.textContent = who.options[who.selectedIndex].textContent;
    bubble("note", "— 现在是 " + whoName.textContent + " —");
  });

  function showCall(call) {
    var li = document.createElement("li");
    var head = document.createElement("strong");
    head.textContent = call.path + (call.errcode ? " (errcode " + call.errcode + ")" : "");
    li.appendChild(head);
    if (call.to) {
      li.appendChild(document.createTextNode(" → " + (call.to_name || call.to)));
    }
    var detail = document.createElement("div");
    detail.className = "muted";
    detail.style.whiteSpace = "pre-wrap";
    detail.textContent = call.text || JSON.stringify(call.body);
    li.appendChild(detail);
    callsList.appendChild(li);
  }

  var polling = false;

  function pollCalls() {
    if (polling) { return; }  // two overlapping polls would show the same calls twice
    polling = true;
    fetch(root.dataset.calls + "?since=" + since, {credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (data) {
        data.calls.forEach(showCall);
        since = data.next;
        callsStatus.textContent = data.error ? data.error
          : "共 " + callsList.children.length + " 条 · " + callsList.children.length + " call(s)";
      })
      .catch(function () { callsStatus.textContent = "无法读取 cannot load"; })
      .finally(function () { polling = false; });
  }

  pollCalls();
  setInterval(pollCalls, 3000);
}());
