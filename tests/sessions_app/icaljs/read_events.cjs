// Reads an iCalendar file on standard input with ical.js (the parser of Thunderbird and many web
// calendars) and prints each event's UID, SEQUENCE, STATUS, local start, UTC offset and UTC start
// as JSON lines. The file's own VTIMEZONEs are registered first, as a calendar client does.
const ICAL = require("./ical.es5.min.cjs");

let text = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { text += chunk; });
process.stdin.on("end", () => {
  const calendar = new ICAL.Component(ICAL.parse(text));
  for (const zone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(zone);
  }
  const events = calendar.getAllSubcomponents("vevent").map((component) => {
    const event = new ICAL.Event(component);
    const start = event.startDate;
    return {
      uid: event.uid,
      sequence: event.sequence,
      status: component.getFirstPropertyValue("status"),
      method: calendar.getFirstPropertyValue("method"),
      tzid: start.zone ? start.zone.tzid : null,
      local: start.toString(),
      offset: start.utcOffset(),
      utc: start.toJSDate().toISOString(),
    };
  });
  process.stdout.write(JSON.stringify(events));
});
