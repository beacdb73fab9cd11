"""Event records: coded events of many articles merged into one real-world action.

GDELT counts every mention of an action as a new event.  Here events with the
same source actor, target actor and CAMEO root whose dates lie within
:data:`WINDOW_DAYS` of a record's date span join that record; the counts
(mentions, distinct outlets, articles, first and last seen) are computed by
the ``event_summary`` view, which skips near-duplicate copies so a wire story
reprinted ten times is not ten events.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Optional

import duckdb

WINDOW_DAYS = 2


def _day(value: Optional[object]) -> Optional[date]:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    text = str(value)
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def merge_events(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> int:
    """Give every event of ``article_ids`` a ``record_id``; returns how many records were created.

    Runs inside the caller's transaction.  Events without a root, without
    any actor or without a date get a record of their own.
    """
    if not article_ids:
        return 0
    marks = ",".join("?" * len(article_ids))
    events = con.execute(
        f"""SELECT e.article_id, e.event_no, coalesce(e.source_actor, ''), coalesce(e.target_actor, ''),
                   e.root, e.cameo, e.date, a.published
            FROM events e JOIN articles a ON a.id = e.article_id
            WHERE e.article_id IN ({marks}) AND e.record_id IS NULL
            ORDER BY a.seq, e.event_no""", article_ids).fetchall()
    if not events:
        return 0
    roots = sorted({row[4] for row in events if row[4]})
    records: dict[tuple, list[list]] = {}
    if roots:
        for rid, src, tgt, root, first, last in con.execute(
                f"""SELECT record_id, source_actor, target_actor, root, first_date, last_date
                    FROM event_records WHERE root IN ({','.join('?' * len(roots))})
                      AND first_date IS NOT NULL""", roots).fetchall():
            records.setdefault((src, tgt, root), []).append([rid, first, last, False])
    next_id = (con.execute("SELECT coalesce(max(record_id), 0) FROM event_records").fetchone()[0]) + 1
    created, assignments, new_records = 0, [], []
    window = timedelta(days=WINDOW_DAYS)
    for article_id, number, src, tgt, root, cameo, when, published in events:
        day = _day(when) or _day(published)
        key = (src, tgt, root)
        chosen = None
        if root and (src or tgt) and day is not None:
            for record in records.get(key, []):
                if record[1] - window <= day <= record[2] + window:
                    chosen = record
                    record[1], record[2] = min(record[1], day), max(record[2], day)
                    record[3] = True
                    break
        if chosen is None:
            chosen = [next_id, day, day, False]
            next_id += 1
            created += 1
            new_records.append((chosen, src or None, tgt or None, root, cameo))
            if root and (src or tgt) and day is not None:
                records.setdefault(key, []).append(chosen)
        assignments.append((chosen[0], article_id, number))
    if new_records:  # one statement for all (a statement per row dominated ingest time)
        con.execute("""INSERT INTO event_records
                       SELECT unnest(?::BIGINT[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]),
                              unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::DATE[]), unnest(?::DATE[])""",
                    [[r[0][0] for r in new_records], [r[1] for r in new_records], [r[2] for r in new_records],
                     [r[3] for r in new_records], [r[4] for r in new_records], [r[0][1] for r in new_records],
                     [r[0][2] for r in new_records]])
    new_ids = {r[0][0] for r in new_records}  # inserted above with their final span
    touched = [(rid, first, last) for group in records.values() for rid, first, last, hit in group
               if hit and rid not in new_ids]
    if touched:
        con.execute("""UPDATE event_records SET first_date = q.f, last_date = q.l
                       FROM (SELECT unnest(?::BIGINT[]) AS rid, unnest(?::DATE[]) AS f, unnest(?::DATE[]) AS l) q
                       WHERE event_records.record_id = q.rid""",
                    [[t[0] for t in touched], [t[1] for t in touched], [t[2] for t in touched]])
    con.execute("""UPDATE events SET record_id = q.rid
                   FROM (SELECT unnest(?::BIGINT[]) AS rid, unnest(?::VARCHAR[]) AS aid,
                                unnest(?::INTEGER[]) AS num) q
                   WHERE events.article_id = q.aid AND events.event_no = q.num""",
                [[a[0] for a in assignments], [a[1] for a in assignments], [a[2] for a in assignments]])
    return created
