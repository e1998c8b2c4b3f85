// Splitting one stop in two: where (inside the stop, before the present) and, optionally, a reason for each part.
import { useState, type FormEvent } from 'react';
import type { TDowntimeInterval } from '@takt/contracts';
import { useSplitDowntime } from '../api/split-downtime.ts';
import { toLocalInputValue, type TReasonGroup } from './downtime-choices.ts';
import { ReasonSelect } from './reason-select.tsx';

export function SplitStopForm({
  stop,
  reasonGroups,
  onDone,
}: {
  stop: TDowntimeInterval;
  reasonGroups: TReasonGroup[];
  onDone: () => void;
}) {
  const startMs = Date.parse(stop.startedAt);
  const endMs = startMs + stop.durationSec * 1000;
  const [at, setAt] = useState(toLocalInputValue(Math.round((startMs + endMs) / 2000) * 1000));
  const [reasonBefore, setReasonBefore] = useState('');
  const [reasonAfter, setReasonAfter] = useState('');
  const split = useSplitDowntime({ onSuccess: onDone });

  function submit(event: FormEvent) {
    event.preventDefault();
    split.mutate({
      id: stop.id,
      body: {
        at: new Date(at).toISOString(),
        ...(reasonBefore === '' ? {} : { reasonIdBefore: reasonBefore }),
        ...(reasonAfter === '' ? {} : { reasonIdAfter: reasonAfter }),
      },
    });
  }

  return (
    <form className="split-form" onSubmit={submit} aria-label={`Split stop of ${stop.machine.name}`}>
      <label className="field">
        <span className="field-label">Second part starts at</span>
        <input
          className="field-input"
          type="datetime-local"
          step={1}
          value={at}
          min={toLocalInputValue(startMs + 1000)}
          max={toLocalInputValue(endMs - 1000)}
          onChange={(event) => setAt(event.target.value)}
          required
        />
      </label>
      <ReasonSelect
        label="Reason of the first part"
        groups={reasonGroups}
        value={reasonBefore}
        onChange={setReasonBefore}
        placeholder="Keep its reason"
      />
      <ReasonSelect
        label="Reason of the second part"
        groups={reasonGroups}
        value={reasonAfter}
        onChange={setReasonAfter}
        placeholder="Keep its reason"
      />
      <div className="split-form-actions">
        <button className="button button-primary" type="submit" disabled={split.isPending}>
          Split stop
        </button>
        <button className="button" type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
      {split.isError ? (
        <p className="form-alert" role="alert">
          {split.error.message}
        </p>
      ) : null}
    </form>
  );
}
