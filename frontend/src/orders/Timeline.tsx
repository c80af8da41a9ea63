import { useState } from 'react';
import { Time } from '../components/Time';
import type { TimelineEntryFieldsFragment as Entry } from '../gql/graphql';
import { describeEntry } from './describeEntry';

/**
 * The order's history, oldest first. Entries that arrive while the page is
 * open are marked so that they stand out as they appear.
 */
export function Timeline({ entries }: { entries: readonly Entry[] }) {
  const [firstSeen] = useState(() => entries.at(-1)?.version ?? 0);

  return (
    <ol className="timeline" aria-label="Order timeline">
      {entries.map((entry, i) => {
        const view = describeEntry(entry, entries.slice(i + 1));
        const isNew = entry.version > firstSeen;
        return (
          <li
            key={entry.version}
            className={`timeline__entry timeline__entry--${view.tone}${isNew ? ' timeline__entry--new' : ''}`}
            data-kind={entry.kind}
          >
            <div className="timeline__head">
              <span className="timeline__title">{view.title}</span>
              <Time value={entry.at} short />
            </div>
            {entry.detail && <p className="timeline__detail">{entry.detail}</p>}
            {view.explanation && <p className="timeline__explanation">{view.explanation}</p>}
          </li>
        );
      })}
    </ol>
  );
}
