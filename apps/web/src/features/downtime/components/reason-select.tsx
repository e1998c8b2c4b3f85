// A reason picker: the reasons of one kind grouped by category.
import type { TReasonGroup } from './downtime-choices.ts';

export function ReasonSelect({
  label,
  groups,
  value,
  onChange,
  placeholder,
}: {
  label: string;
  groups: TReasonGroup[];
  value: string;
  onChange: (reasonId: string) => void;
  placeholder: string;
}) {
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      <select className="field-input" value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">{placeholder}</option>
        {groups.map((group) => (
          <optgroup key={group.category} label={group.category}>
            {group.reasons.map((reason) => (
              <option key={reason.id} value={reason.id}>
                {reason.label}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </label>
  );
}
