// Counts taps on phone links (page path, nothing personal; no cookies). The link itself
// works the same with or without this script.
(function () {
    "use strict";
    if (!navigator.sendBeacon || !window.URLSearchParams) {
        return;
    }
    document.addEventListener("click", function (event) {
        var link = event.target.closest && event.target.closest('a[data-cta="phone"]');
        if (!link) {
            return;
        }
        navigator.sendBeacon("/book/cta/", new URLSearchParams({ path: window.location.pathname }));
    });
})();
