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
    // A table wider than the screen scrolls inside its box; the box takes keyboard focus then (and only then),
    // so arrow keys scroll it for someone without a mouse or a touch screen.
    function markScrollers() {
        var boxes = document.querySelectorAll(".table-responsive, .sheet-scroll");
        for (var i = 0; i < boxes.length; i++) {
            var box = boxes[i];
            if (box.hasAttribute("tabindex") && !box.hasAttribute("data-scroll-focus")) { continue; } // set in the page itself
            if (box.scrollWidth > box.clientWidth + 1) {
                box.setAttribute("tabindex", "0");
                box.setAttribute("data-scroll-focus", "");
            } else if (box.hasAttribute("data-scroll-focus")) {
                box.removeAttribute("tabindex");
                box.removeAttribute("data-scroll-focus");
            }
        }
    }
    var pending = false;
    window.addEventListener("resize", function () {
        if (pending) { return; }
        pending = true;
        window.requestAnimationFrame(function () { pending = false; markScrollers(); });
    });
    document.addEventListener("DOMContentLoaded", markScrollers);

    document.addEventListener("keydown", function (e) {
        if (e.key === "Escape" && root.classList.contains("menu-open")) {
            setOpen(false, true);
        }
    });
})();
