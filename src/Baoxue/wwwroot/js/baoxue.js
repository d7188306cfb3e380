// The pages' only script. The Content-Security-Policy forbids inline handlers (onclick="…"), so buttons say
// what they do with data attributes and this file does it.
document.addEventListener('click', function (event) {
    var target = event.target instanceof Element ? event.target.closest('[data-print]') : null;
    if (target) {
        window.print();
    }
});
