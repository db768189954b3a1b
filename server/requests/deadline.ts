/**
 * The statutory answer deadline of a request: one month after receipt (Art. 12(3) GDPR), counted
 * as Regulation 1182/71 Art. 3(2)(c) says: to the end of the day with the same date in the next
 * month, or the month's last day when it has no such date (31 January → end of 28/29 February). UTC.
 */
export function requestDeadline(receivedAt: Date): Date {
  const y = receivedAt.getUTCFullYear();
  const m = receivedAt.getUTCMonth() + 1;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const day = Math.min(receivedAt.getUTCDate(), lastDay);
  return new Date(Date.UTC(y, m, day, 23, 59, 59, 999));
}
