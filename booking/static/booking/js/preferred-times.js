// "When suits you?": explains closed days and past times as the patient chooses, in the
// words the server uses (booking.forms.validate_window), and shows each time of day's
// hours for the chosen date. The server checks everything again; without this script
// the form works the same, it just explains after Send.
(function () {
    "use strict";
    var form = document.querySelector("form[data-opening-hours]");
    if (!form || !window.JSON) {
        return;
    }
    var data = JSON.parse(form.getAttribute("data-opening-hours"));
    var loadedAt = Date.now();
    var DAY = 86400000;
    var WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December"];
    var PAST = "This time has already passed. Choose a later date or time of day.";

    // Dates and clock times as UTC milliseconds and minutes: the clinic's wall clock,
    // whatever time zone the browser is in.
    function day(iso) {
        var parts = iso.split("-");
        return Date.UTC(+parts[0], parts[1] - 1, +parts[2]);
    }
    function minutes(hhmm) {
        var parts = hhmm.split(":");
        return parts[0] * 60 + +parts[1];
    }
    function clock(mins) {
        var hour = Math.floor(mins / 60), minute = mins % 60;
        var suffix = hour < 12 ? "am" : "pm";
        hour = hour % 12 || 12;
        return minute ? hour + ":" + (minute < 10 ? "0" : "") + minute + suffix : hour + suffix;
    }
    function spokenDate(ms) {
        var date = new Date(ms);
        return WEEKDAYS[date.getUTCDay()] + ", " + MONTHS[date.getUTCMonth()] + " " + date.getUTCDate();
    }
    function clinicNow() {
        return day(data.today) + minutes(data.now) * 60000 + (Date.now() - loadedAt);
    }

    function chosenLocation() {
        var ids = Object.keys(data.locations);
        if (ids.length === 1) {
            return data.locations[ids[0]];
        }
        var checked = form.querySelector('input[name="location"]:checked');
        return checked ? data.locations[checked.value] : null;
    }

    // [opens, closes] in minutes on a date, or {closure: reason} / null when closed.
    function hoursOn(location, ms) {
        for (var i = 0; i < location.closures.length; i++) {
            var closure = location.closures[i];
            if (day(closure[0]) <= ms && ms <= day(closure[1])) {
                return { closure: closure[2] };
            }
        }
        var week = location.week[(new Date(ms).getUTCDay() + 6) % 7];
        return week ? [minutes(week[0]), minutes(week[1])] : null;
    }

    function stretch(part, hours) {
        var bounds = data.parts[part];
        var starts = Math.max(hours[0], bounds[0] ? minutes(bounds[0]) : hours[0]);
        var ends = Math.min(hours[1], bounds[1] ? minutes(bounds[1]) : hours[1]);
        return starts < ends ? [starts, ends] : null;
    }

    function problem(ms, part, location, hours) {
        var partEnds = data.parts[part][1] ? minutes(data.parts[part][1]) : 24 * 60;
        if (ms + partEnds * 60000 <= clinicNow()) {
            return PAST;
        }
        if (ms > day(data.last)) {
            return "We book up to " + data.horizon + " days ahead. Choose an earlier date.";
        }
        if (!location) {
            return "";
        }
        if (!hours || hours.closure !== undefined) {
            var why = hours && hours.closure ? " (" + hours.closure + ")" : "";
            return location.name + " is closed on " + spokenDate(ms) + why + ". Choose another day.";
        }
        var open = stretch(part, hours);
        if (!open) {
            return location.name + " is open " + clock(hours[0]) + " to " + clock(hours[1]) +
                " that day. Choose another time of day.";
        }
        return ms + open[1] * 60000 <= clinicNow() ? PAST : "";
    }

    function update(slot) {
        var date = slot.querySelector('input[type="date"]');
        var select = slot.querySelector("select");
        var note = slot.querySelector(".booking-slot__note");
        var location = chosenLocation();
        var ms = date.value ? day(date.value) : NaN;
        var hours = isNaN(ms) || !location ? null : hoursOn(location, ms);
        var open = hours && hours.closure === undefined;
        Array.prototype.forEach.call(select.options, function (option) {
            if (!option.value) {
                return;
            }
            if (!option.hasAttribute("data-label")) {
                option.setAttribute("data-label", option.textContent);
            }
            var label = option.getAttribute("data-label");
            var times = open && stretch(option.value, hours);
            var unavailable = !isNaN(ms) && location && problem(ms, option.value, location, hours);
            option.disabled = !!unavailable && option.value !== select.value;
            option.textContent = times && !unavailable
                ? label.split(" (")[0] + " (" + clock(times[0]) + "-" + clock(times[1]) + ")"
                : unavailable ? label.split(" (")[0] + " (not available that day)" : label;
        });
        var message = "";
        if (!isNaN(ms)) {
            if (select.value) {
                message = problem(ms, select.value, location, hours);
            } else if (location && !open) {
                message = problem(ms, Object.keys(data.parts)[0], location, hours);
            }
        }
        note.textContent = message;
        date.setAttribute("aria-describedby", message ? note.id : date.getAttribute("data-describedby") || "");
        if (!date.getAttribute("aria-describedby")) {
            date.removeAttribute("aria-describedby");
        }
    }

    var slots = form.querySelectorAll("[data-slot]");
    Array.prototype.forEach.call(slots, function (slot) {
        var date = slot.querySelector('input[type="date"]');
        if (date.hasAttribute("aria-describedby")) {
            date.setAttribute("data-describedby", date.getAttribute("aria-describedby"));
        }
        slot.addEventListener("change", function () { update(slot); });
        update(slot);
    });
    form.addEventListener("change", function (event) {
        if (event.target.name === "location") {
            Array.prototype.forEach.call(slots, update);
        }
    });
})();
