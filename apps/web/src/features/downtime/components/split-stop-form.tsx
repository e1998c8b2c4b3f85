// Splitting one stop in two: where (inside the stop, on the clock of its site) and, optionally, a reason for each
// part.
import { useState, type FormEvent } from 'react';
import type { TDowntimeInterval } from '@takt/contracts';
import { useI18n } from '../../../lib/i18n/i18n.tsx';
import { instantOfLocalDateTime, localDateTimeInputValue } from '../../../lib/zoned-time.ts';
import { useSplitDowntime } from '../api/split-downtime.ts';
import type { TReasonGroup } from './downtime-choices.ts';
import { ReasonSelect } from './reason-select.tsx';

export function SplitStopForm({
  stop,
  timeZone,
  reasonGroups,
  onDone,
}: {
  stop: TDowntimeInterval;
  timeZone: string;
  reasonGroups: TReasonGroup[];
  onDone: () => void;
}) {
  const { t, errorText } = useI18n();
  const startMs = Date.parse(stop.startedAt);
  const endMs = startMs + stop.durationSec * 1000;
  const inputValueOf = (ms: number) => localDateTimeInputValue(ms, timeZone, true);
  const [at, setAt] = useState(() => inputValueOf(Math.round((startMs + endMs) / 2000) * 1000));
  const [reasonBefore, setReasonBefore] = useState('');
  const [reasonAfter, setReasonAfter] = useState('');
  const split = useSplitDowntime({ onSuccess: onDone });
  const atMs = instantOfLocalDateTime(at, timeZone);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (atMs === null) return;
    split.mutate({
      id: stop.id,
      body: {
        at: new Date(atMs).toISOString(),
        ...(reasonBefore === '' ? {} : { reasonIdBefore: reasonBefore }),
        ...(reasonAfter === '' ? {} : { reasonIdAfter: reasonAfter }),
      },
    });
  }

  return (
    <form
      className="split-form"
      onSubmit={submit}
      aria-label={t('downtime.splitStopOf', { machine: stop.machine.name })}
    >
      <label className="field">
        <span className="field-label">{t('downtime.splitAt')}</span>
        <input
          className="field-input"
          type="datetime-local"
          step={1}
          value={at}
          min={inputValueOf(startMs + 1000)}
          max={inputValueOf(endMs - 1000)}
          onChange={(event) => setAt(event.target.value)}
          required
        />
        <span className="cell-note">{t('common.timesIn', { zone: timeZone })}</span>
      </label>
      <ReasonSelect
        label={t('downtime.reasonBefore')}
        groups={reasonGroups}
        value={reasonBefore}
        onChange={setReasonBefore}
        placeholder={t('downtime.keepReason')}
      />
      <ReasonSelect
        label={t('downtime.reasonAfter')}
        groups={reasonGroups}
        value={reasonAfter}
        onChange={setReasonAfter}
        placeholder={t('downtime.keepReason')}
      />
      <div className="split-form-actions">
        <button className="button button-primary" type="submit" disabled={split.isPending || atMs === null}>
          {t('downtime.splitSubmit')}
        </button>
        <button className="button" type="button" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
      {split.isError ? (
        <p className="form-alert" role="alert">
          {errorText(split.error)}
        </p>
      ) : null}
    </form>
  );
}
