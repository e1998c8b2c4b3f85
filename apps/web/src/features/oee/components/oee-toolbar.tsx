// The OEE page's controls: where in the plant (breadcrumb, site switch), which time range (presets in the site's
// time zone or whole days picked from a calendar) and how the series is bucketed. Each control is a link or a
// navigation, so every view has its own URL.
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import type { TKpiBucket, TSite } from '@takt/contracts';
import { useI18n } from '../../../lib/i18n/i18n.tsx';
import { localDateOf } from '../../../lib/zoned-time.ts';
import {
  bucketsFor,
  RANGE_PRESETS,
  rangeOfLocalDates,
  isRangePresetId,
  type TRangeChoice,
  type TTimeRange,
} from './oee-range.ts';
import {
  searchOfViewState,
  withScope,
  type TOeeViewState,
  type TScopeCrumb,
  type TScopeRef,
} from './oee-view-state.ts';

const CUSTOM = 'custom';
const PICK_DATES = 'pick-dates';

export function scopeHref(view: TOeeViewState, scope: TScopeRef): string {
  return `?${searchOfViewState(withScope(view, scope)).toString()}`;
}

export function ScopeBreadcrumb({ view, crumbs }: { view: TOeeViewState; crumbs: TScopeCrumb[] }) {
  const { t } = useI18n();
  return (
    <nav className="oee-breadcrumb" aria-label={t('oee.plantScope')}>
      <ol>
        {crumbs.map((crumb, index) => {
          const isCurrent = index === crumbs.length - 1;
          return (
            <li key={crumb.id}>
              <span className="oee-breadcrumb-level">{t(`oee.level.${crumb.kind}`)}</span>
              {isCurrent ? (
                <span className="oee-breadcrumb-current" aria-current="page" translate="no">
                  {crumb.name}
                </span>
              ) : (
                <Link to={scopeHref(view, crumb)} translate="no">
                  {crumb.name}
                </Link>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

export function OeeToolbar({
  view,
  sites,
  siteId,
  range,
  bucket,
  timeZone,
  onNavigate,
}: {
  view: TOeeViewState;
  sites: TSite[];
  siteId: string | null;
  range: TTimeRange;
  bucket: TKpiBucket;
  timeZone: string;
  onNavigate: (change: { scope?: TScopeRef; range?: TRangeChoice; bucket?: TKpiBucket }) => void;
}) {
  const { t, format } = useI18n();
  const [isPickingDates, setIsPickingDates] = useState(false);
  let rangeValue: string = view.range.kind === 'custom' ? CUSTOM : view.range.presetId;
  if (isPickingDates) rangeValue = PICK_DATES;
  return (
    <div className="oee-toolbar" role="group" aria-label={t('oee.view')}>
      {sites.length > 1 ? (
        <label className="field">
          <span className="field-label">{t('oee.site')}</span>
          <select
            className="field-input"
            value={siteId ?? ''}
            onChange={(event) => onNavigate({ scope: { kind: 'site', id: event.target.value } })}
          >
            {siteId === null ? <option value="">{t('oee.chooseSite')}</option> : null}
            {sites.map((site) => (
              <option key={site.id} value={site.id}>
                {site.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label className="field">
        <span className="field-label">{t('common.range')}</span>
        <select
          className="field-input"
          value={rangeValue}
          onChange={(event) => {
            const value = event.target.value;
            setIsPickingDates(value === PICK_DATES);
            if (isRangePresetId(value)) onNavigate({ range: { kind: 'preset', presetId: value } });
          }}
        >
          {RANGE_PRESETS.map((preset) => (
            <option key={preset} value={preset}>
              {t(`oee.range.${preset}`)}
            </option>
          ))}
          {view.range.kind === 'custom' ? <option value={CUSTOM}>{format.range(range, timeZone)}</option> : null}
          <option value={PICK_DATES}>{t('oee.pickDates')}</option>
        </select>
      </label>
      {isPickingDates ? (
        <DateRangeForm
          range={range}
          timeZone={timeZone}
          onApply={(picked) => {
            setIsPickingDates(false);
            onNavigate({ range: { kind: 'custom', ...picked } });
          }}
          onCancel={() => setIsPickingDates(false)}
        />
      ) : null}
      <fieldset className="oee-segmented">
        <legend className="field-label">{t('oee.seriesBy')}</legend>
        <div className="oee-segmented-options">
          {(['hour', 'shift', 'day'] as const).map((option) => (
            <label key={option} className={option === bucket ? 'is-checked' : undefined}>
              <input
                type="radio"
                name="oee-bucket"
                value={option}
                checked={option === bucket}
                disabled={!bucketsFor(range).includes(option)}
                onChange={() => onNavigate({ bucket: option })}
              />
              {t(`oee.bucket.${option}`)}
            </label>
          ))}
        </div>
      </fieldset>
    </div>
  );
}

function DateRangeForm({
  range,
  timeZone,
  onApply,
  onCancel,
}: {
  range: TTimeRange;
  timeZone: string;
  onApply: (range: TTimeRange) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [firstDate, setFirstDate] = useState(() => localDateOf(range.fromMs, timeZone));
  const [lastDate, setLastDate] = useState(() => localDateOf(range.toMs - 1, timeZone));
  const picked = rangeOfLocalDates(firstDate, lastDate, timeZone);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (picked !== null) onApply(picked);
  }

  return (
    <form className="oee-date-form" onSubmit={submit} aria-label={t('oee.pickDatesForm')}>
      <label className="field">
        <span className="field-label">{t('common.from')}</span>
        <input
          className="field-input"
          type="date"
          value={firstDate}
          onChange={(event) => setFirstDate(event.target.value)}
          required
        />
      </label>
      <label className="field">
        <span className="field-label">{t('oee.toInclusive')}</span>
        <input
          className="field-input"
          type="date"
          value={lastDate}
          min={firstDate}
          onChange={(event) => setLastDate(event.target.value)}
          required
        />
      </label>
      <button className="button button-primary" type="submit" disabled={picked === null}>
        {t('common.apply')}
      </button>
      <button className="button button-small" type="button" onClick={onCancel}>
        {t('common.cancel')}
      </button>
    </form>
  );
}
