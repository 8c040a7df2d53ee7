// Expand an iCalendar feed the way Thunderbird does (ical.js), for the calendar tests.
// stdin: the feed; argv: range start and end (ISO, UTC). stdout: JSON list of occurrences
// {uid, start, end, status, recurrenceId, summary, description, location} with times in UTC,
// or, for a JSON list of feeds on stdin, a JSON list of such lists (one node start for all;
// each feed is read with only its own VTIMEZONEs),
// using ONLY the feed's own VTIMEZONEs (ical.js has no zone database): a wrong VTIMEZONE shows
// up as wrong times.
//
// A moved occurrence (an override) belongs to the master with its UID, as Thunderbird files it:
// every Event is made with an explicit (empty) list of exceptions, because ICAL.Event's default
// relates EVERY override of the file to every master by local time alone.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const [from, to] = process.argv.slice(2).map((s) => new Date(s));

function expand(text) {
  ICAL.TimezoneService.reset();
  const root = new ICAL.Component(ICAL.parse(text));
  for (const vtimezone of root.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(vtimezone);
  }
  const masters = new Map();
  const singles = [];
  const exceptions = [];
  for (const vevent of root.getAllSubcomponents("vevent")) {
    const event = new ICAL.Event(vevent, { exceptions: [], strictExceptions: true });
    if (event.isRecurrenceException()) exceptions.push(event);
    else if (event.isRecurring()) masters.set(event.uid, event);
    else singles.push(event);
  }
  for (const exception of exceptions) {
    const master = masters.get(exception.uid);
    if (master) master.relateException(exception);
    else singles.push(exception);
  }
  const out = [];
  const push = (event, start, end, recurrenceId) => {
    const s = start.toJSDate();
    if (s >= from && s < to) {
      out.push({
        uid: event.uid,
        start: s.toISOString(),
        end: end.toJSDate().toISOString(),
        status: event.component.getFirstPropertyValue("status") || "",
        recurrenceId: recurrenceId ? recurrenceId.toJSDate().toISOString() : null,
        summary: event.summary || "",
        description: event.description || "",
        location: event.location || "",
      });
    }
  };
  // Moved occurrences may come from up to a year outside the range.
  const margin = 366 * 24 * 3600 * 1000;
  for (const master of masters.values()) {
    const iterator = master.iterator();
    for (let next = iterator.next(); next; next = iterator.next()) {
      const when = next.toJSDate();
      if (when.getTime() >= to.getTime() + margin) break;
      if (when.getTime() < from.getTime() - margin) continue;
      const details = master.getOccurrenceDetails(next);
      push(details.item, details.startDate, details.endDate, details.recurrenceId);
    }
  }
  for (const event of singles) push(event, event.startDate, event.endDate, event.recurrenceId);
  out.sort((a, b) =>
    a.start === b.start ? a.uid.localeCompare(b.uid) : a.start < b.start ? -1 : 1,
  );
  return out;
}

const input = readFileSync(0, "utf8");
const result = input.startsWith("[") ? JSON.parse(input).map(expand) : expand(input);
process.stdout.write(JSON.stringify(result));
