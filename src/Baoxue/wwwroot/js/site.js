// The phone menu's button. Loaded in <head>: marks the page as scripted at once (so the closed drawer never
// flashes open) and listens on the document, which exists before the body is parsed.
// Without this script the menu simply stays open above the page and the button stays hidden.
(function () {
    "use strict";
    var root = document.documentElement;
    root.classList.add("js");

    function toggle() { return document.getElementById("menu-toggle"); }

    function setOpen(open, returnFocus) {
        var button = toggle();
        if (!button) { return; }
        root.classList.toggle("menu-open", open);
        button.setAttribute("aria-expanded", open ? "true" : "false");
        if (!open && returnFocus) {
            button.focus();
        }
    }

    document.addEventListener("click", function (e) {
        if (e.target.closest && e.target.closest("#menu-toggle")) {
            setOpen(!root.classList.contains("menu-open"), false);
        }
    });
    document.addEventListener("keydown", function (e) {
        if (e.key === "Escape" && root.classList.contains("menu-open")) {
            setOpen(false, true);
        }
    });
})();
