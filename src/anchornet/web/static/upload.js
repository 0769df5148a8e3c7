// Upload progress: without JavaScript the form posts as usual; with it, the files are sent
// with XMLHttpRequest so a progress bar can show how much has gone, then the server's result
// page replaces this one.
(function () {
  "use strict";
  document.querySelectorAll("form[data-upload]").forEach(function (form) {
    var bar = form.querySelector("progress");
    var status = form.querySelector("[data-upload-status]");
    form.addEventListener("submit", function (event) {
      if (!window.FormData || !window.XMLHttpRequest) { return; }
      event.preventDefault();
      var request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) { return; }
        bar.hidden = false;
        bar.value = Math.round((e.loaded / e.total) * 100);
        status.textContent = bar.value < 100
          ? "Sending the files: " + bar.value + "%"
          : "Files sent; loading them (every line is being read and accounted for)...";
      });
      request.addEventListener("load", function () {
        document.open();
        document.write(request.responseText);
        document.close();
        if (request.responseURL) { window.history.replaceState(null, "", request.responseURL); }
      });
      request.addEventListener("error", function () {
        status.textContent = "The upload failed: the server could not be reached. Try again.";
      });
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      status.textContent = "Sending the files...";
      request.send(new FormData(form));
    });
  });
})();
