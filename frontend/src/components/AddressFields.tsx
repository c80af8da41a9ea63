import { useId } from 'react';
import type { AddressInput } from '../gql/graphql';
import type { UserError } from './Feedback';

export type AddressValue = Required<{ [K in keyof AddressInput]: string }>;

export const EMPTY_ADDRESS: AddressValue = { name: '', line1: '', line2: '', city: '', postalCode: '', country: '' };

const FIELDS: { key: keyof AddressValue; label: string; autoComplete: string; required: boolean }[] = [
  { key: 'name', label: 'Full name', autoComplete: 'name', required: true },
  { key: 'line1', label: 'Street and number', autoComplete: 'address-line1', required: true },
  { key: 'line2', label: 'Flat, floor (optional)', autoComplete: 'address-line2', required: false },
  { key: 'city', label: 'City', autoComplete: 'address-level2', required: true },
  { key: 'postalCode', label: 'Postal code', autoComplete: 'postal-code', required: true },
  { key: 'country', label: 'Country code', autoComplete: 'country', required: true },
];

/** The field of an address input that a server error names, e.g. "input.shippingAddress.city" → "city". */
function fieldOf(error: UserError): string | undefined {
  return error.field?.split('.').at(-1);
}

/** Labelled inputs for a shipping address; server errors show under the field they name. */
export function AddressFields({
  value,
  onChange,
  errors = [],
}: {
  value: AddressValue;
  onChange: (next: AddressValue) => void;
  errors?: readonly UserError[];
}) {
  const id = useId();
  return (
    <fieldset className="address">
      <legend>Shipping address</legend>
      {FIELDS.map((f) => {
        const error = errors.find((e) => fieldOf(e) === f.key);
        const inputId = `${id}-${f.key}`;
        return (
          <div key={f.key} className={`field field--${f.key}`}>
            <label htmlFor={inputId}>{f.label}</label>
            <input
              id={inputId}
              name={f.key}
              autoComplete={f.autoComplete}
              required={f.required}
              maxLength={f.key === 'country' ? 2 : 200}
              pattern={f.key === 'country' ? '[A-Za-z]{2}' : undefined}
              title={f.key === 'country' ? 'Two letters, for example US' : undefined}
              value={value[f.key]}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${inputId}-error` : undefined}
              onChange={(e) => {
                const v = f.key === 'country' ? e.target.value.toUpperCase() : e.target.value;
                onChange({ ...value, [f.key]: v });
              }}
            />
            {error && (
              <p id={`${inputId}-error`} className="field__error">
                {error.message}
              </p>
            )}
          </div>
        );
      })}
    </fieldset>
  );
}

/** The input the API takes: line2 omitted when empty. */
export function toAddressInput(a: AddressValue): AddressInput {
  return { ...a, line2: a.line2.trim() === '' ? null : a.line2 };
}
