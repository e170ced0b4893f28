// fazhi workspace: small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // Upload with a progress bar: send the form by XHR, then follow the server's redirect.
  document.querySelectorAll("form[data-progress]").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      if (!window.FormData || !window.XMLHttpRequest) return;
      ev.preventDefault();
      var box = form.querySelector(".progress");
      var bar = box && box.querySelector("progress");
      var label = box && box.querySelector("span");
      if (box) box.hidden = false;
      form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable && bar) bar.value = Math.round(e.loaded / e.total * 90);
      };
      xhr.upload.onload = function () {
        if (bar) bar.removeAttribute("value");
        if (label) label.textContent = "已上传，正在检查报告…";
      };
      xhr.onload = function () {
        if (xhr.status === 413) { document.open(); document.write(xhr.responseText); document.close(); return; }
        window.location.href = xhr.responseURL || "/";
      };
      xhr.onerror = function () {
        if (label) label.textContent = "上传失败，请检查网络后重试";
        form.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
      };
      xhr.send(new FormData(form));
    });
  });

  // Comment on selected text: the selection's offsets in the normalized text fill the form.
  var doc = document.getElementById("doc");
  var form = document.getElementById("comment-form");
  function offsetOf(node, offset) {
    var el = node.nodeType === 3 ? node.parentElement : node;
    while (el && el !== doc && !el.hasAttribute("data-start")) el = el.parentElement;
    if (!el || el === doc) return null;
    var base = parseInt(el.getAttribute("data-start"), 10);
    if (node.nodeType !== 3) return base;
    // count the characters of text nodes inside el before `node`
    var walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    var n, before = 0;
    while ((n = walker.nextNode())) { if (n === node) break; before += n.nodeValue.length; }
    return base + before + offset;
  }
  if (doc && form) {
    doc.addEventListener("mouseup", function () {
      var sel = window.getSelection();
      if (!sel || sel.isCollapsed || !doc.contains(sel.anchorNode) || !doc.contains(sel.focusNode)) return;
      var a = offsetOf(sel.anchorNode, sel.anchorOffset), b = offsetOf(sel.focusNode, sel.focusOffset);
      if (a === null || b === null) return;
      var start = Math.min(a, b), end = Math.max(a, b);
      if (end <= start) return;
      form.elements.start.value = start;
      form.elements.end.value = end;
      form.elements.quote.value = sel.toString().slice(0, 500);
      form.elements.body.focus();
    });
    form.elements.quote.addEventListener("input", function () {  // typed by hand: anchor by the quote
      form.elements.start.value = ""; form.elements.end.value = "";
    });
  }

  // File pickers show the chosen file's name.
  document.querySelectorAll("label.filepick input[type=file]").forEach(function (input) {
    input.addEventListener("change", function () {
      var name = input.parentElement.querySelector(".name");
      if (name) name.textContent = input.files && input.files.length ? input.files[0].name : "未选择文件";
    });
  });

  // Year pickers submit on change.
  document.querySelectorAll("select[name=year]").forEach(function (s) {
    s.addEventListener("change", function () { if (s.form && s.form.method.toLowerCase() === "get") s.form.submit(); });
  });
})();
