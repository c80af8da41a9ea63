const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

/** A timestamp in the reader's locale; the exact instant stays in the markup. */
export function Time({ value, short = false }: { value: string; short?: boolean }) {
  const date = new Date(value);
  return (
    <time dateTime={value} title={dateTime.format(date)}>
      {(short ? timeOnly : dateTime).format(date)}
    </time>
  );
}
