// What ical.js (the calendar library inside many web and mail clients) reads from an
// .ics on stdin, as JSON: the METHOD and each event's UID, SEQUENCE and times in UTC.
// The file's own VTIMEZONEs are registered first, as those clients do.
import ICAL from "ical.js";

let text = "";
for await (const chunk of process.stdin) text += chunk;
const calendar = new ICAL.Component(ICAL.parse(text));
for (const zone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(new ICAL.Timezone(zone));
}
const utc = (time) => time.convertToZone(ICAL.Timezone.utcTimezone).toString();
const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
  const event = new ICAL.Event(vevent);
  return { uid: event.uid, sequence: event.sequence, start: utc(event.startDate), end: utc(event.endDate) };
});
console.log(JSON.stringify({ method: calendar.getFirstPropertyValue("method"), events }));
