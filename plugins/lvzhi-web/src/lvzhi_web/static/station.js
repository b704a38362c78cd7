/* The scan station: scanner input (keys then Enter), typing, or the camera (BarcodeDetector
   where the browser has it).  Every scan gets a fresh idempotency key and goes into a queue
   kept in localStorage; the queue is sent in order, and kept while the network is down, so
   nothing is lost and a scan sent twice is recorded once. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("config").textContent);
  var KEY = "lvzhi-queue-" + config.pass;
  var offset = Date.parse(config.server_now) - Date.now();
  var sending = false;
  var retryTimer = null;
  var input = document.getElementById("code");
  var form = document.getElementById("scan-form");

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }
  function save(queue) { localStorage.setItem(KEY, JSON.stringify(queue)); }
  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
    var a = new Uint8Array(16);
    crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function text(id, value) { document.getElementById(id).textContent = value; }
  function show(kind, name, seat, flags) {
    document.getElementById("result").className = "result " + kind;
    text("r-name", name);
    text("r-seat", seat);
    text("r-flags", flags);
  }
  function setNet(online, pending) {
    var net = document.getElementById("net");
    net.className = "net " + (online ? "online" : "offline");
    net.textContent = online ? "在线" : "离线";
    text("queue", pending ? "待上传 " + pending + " 条" : "");
    document.body.dataset.pending = String(pending);
  }
  function log(line, cls) {
    var li = document.createElement("li");
    li.textContent = line;
    if (cls) li.className = cls;
    var list = document.getElementById("log");
    list.insertBefore(li, list.firstChild);
  }
  function mark(cert, kind) {
    var li = document.querySelector('#deputies li[data-cert="' + CSS.escape(cert) + '"]');
    if (li) li.classList.toggle("in", kind === "entry");
  }

  function enqueue(code) {
    code = code.trim();
    if (!code) return;
    if (!config.session) { show("error", "无正在签到的会次", "", "本次扫描未记录"); return; }
    var kind = form.querySelector("input[name=kind]:checked").value;
    var scan = {
      id: newId(), code: code, kind: kind, session_id: config.session.id,
      scanned_at: new Date(Date.now() + offset).toISOString()
    };
    var queue = load();
    queue.push(scan);
    save(queue);
    show("pending", code, "", "");
    flush();
  }

  function done(scan, status, body) {
    var queue = load().filter(function (s) { return s.id !== scan.id; });
    save(queue);
    if (body && body.ok) {
      var flags = (body.flags || []).join("　");
      show(flags ? "flagged" : "ok", body.name, body.seat ? "座位 " + body.seat : "", flags);
      mark(body.certificate_no, body.kind);
      log(body.name + " " + (body.kind === "entry" ? "入场" : "退场") + (flags ? " · " + flags : ""), flags ? "flagged" : "");
    } else {
      var message = (body && body.error) || ("错误 " + status);
      show("error", scan.code, "", message);
      log(scan.code + " · " + message, "error");
    }
    return queue.length;
  }

  function flush() {
    if (sending) return;
    var queue = load();
    setNet(true, queue.length);
    if (!queue.length) return;
    sending = true;
    var scan = queue[0];
    fetch("/station/" + encodeURIComponent(config.token) + "/scan", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": config.csrf },
      body: JSON.stringify(scan),
      cache: "no-store"
    }).then(function (response) {
      if (response.status >= 500) throw new Error("server " + response.status);
      return response.json().then(function (body) { return [response.status, body]; });
    }).then(function (pair) {
      sending = false;
      var left = done(scan, pair[0], pair[1]);
      setNet(true, left);
      if (left) flush();
    }).catch(function () {
      sending = false;
      setNet(false, load().length);
      clearTimeout(retryTimer);
      retryTimer = setTimeout(flush, 1500);
    });
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      var value = input.value;
      input.value = "";
      enqueue(value);
    }
  });
  window.addEventListener("online", flush);
  document.addEventListener("click", function (event) {
    if (event.target.tagName !== "INPUT" && event.target.tagName !== "BUTTON") input.focus();
  });

  if ("BarcodeDetector" in window && navigator.mediaDevices) {
    var button = document.getElementById("camera");
    button.hidden = false;
    button.addEventListener("click", function () {
      var video = document.getElementById("video");
      var detector = new window.BarcodeDetector({ formats: ["qr_code", "code_128", "code_39"] });
      var last = "", lastAt = 0;
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        video.play();
        setInterval(function () {
          detector.detect(video).then(function (codes) {
            if (!codes.length) return;
            var value = codes[0].rawValue;
            if (value === last && Date.now() - lastAt < 3000) return;
            last = value; lastAt = Date.now();
            enqueue(value);
          }).catch(function () {});
        }, 300);
      }).catch(function () { show("error", "无法打开相机", "", "请用扫码枪或手工输入"); });
    });
  }
  flush();
  setInterval(flush, 5000);
})();
