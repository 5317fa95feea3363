// Settings › Display: the organisation's currency, the date format and the days before a use case counts as stuck.
import { useState, type FormEvent } from "react";

import type { DateFormat } from "../../bindings/DateFormat";
import type { Preferences } from "../../bindings/Preferences";
import { ErrorNote } from "../../components/errorNote";
import { SaveActions } from "../../components/saveActions";
import { TextField } from "../../components/textField";
import { formatDate, money } from "../../lib/format";
import { fieldError, IpcError } from "../../lib/ipc";
import { DATE_FORMAT_LABEL, DATE_FORMATS } from "../../lib/vocabulary";
import { useStoredPreferences } from "../../lib/queries";
import { useSavePreferences } from "./api";

const CODE = /^[A-Za-z]{3}$/;
/** The date the format choices show. */
const EXAMPLE_DATE = new Date(2026, 10, 25);

export function PreferencesForm() {
  const prefs = useStoredPreferences();
  const [saved, setSaved] = useState(false);
  if (prefs.error) return <ErrorNote error={prefs.error} />;
  if (!prefs.data) return <p className="loading">Loading the preferences…</p>;
  // Saved here or restored from a backup: the form starts again from what is stored.
  return <Form key={JSON.stringify(prefs.data)} current={prefs.data} saved={saved} onSaved={setSaved} />;
}

function Form({ current, saved, onSaved }: { current: Preferences; saved: boolean; onSaved: (saved: boolean) => void }) {
  const [values, setValues] = useState<Preferences>(current);
  const [local, setLocal] = useState<string | undefined>(undefined);
  // Typed as text, so a half-typed number is not lost or refused until Save.
  const [days, setDays] = useState(String(current.stale_after_days));
  const [daysLocal, setDaysLocal] = useState<string | undefined>(undefined);
  const save = useSavePreferences();

  const edit = (change: Partial<Preferences>) => {
    setValues((v) => ({ ...v, ...change }));
    setLocal(undefined);
    onSaved(false);
    save.reset();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const currency = values.currency.trim().toUpperCase();
    const stale = Number(days.trim());
    const badCurrency = !CODE.test(currency);
    const badDays = !/^\d+$/.test(days.trim()) || stale < 1 || stale > 3650;
    setLocal(badCurrency ? "A currency is a three-letter code such as EUR, USD or GBP." : undefined);
    setDaysLocal(badDays ? "Enter a whole number of days from 1 to 3650." : undefined);
    if (badCurrency || badDays) {
      document.getElementById(badCurrency ? "pref-currency" : "pref-stale-days")?.focus();
      return;
    }
    save.mutate({ ...values, currency, stale_after_days: stale }, { onSuccess: () => onSaved(true) });
  };

  const currencyError = local ?? fieldError(save.error, "currency");
  const daysError = daysLocal ?? fieldError(save.error, "stale_after_days");
  const otherError = save.error instanceof IpcError && save.error.field !== "currency" && save.error.field !== "stale_after_days" ? save.error : null;
  const code = values.currency.trim().toUpperCase();

  return (
    <form className="form narrow" onSubmit={submit} noValidate aria-labelledby="preferences-heading">
      <h2 id="preferences-heading">Preferences</h2>
      <p className="hint">How money and dates are shown everywhere in the portfolio, and when a use case counts as stuck, for everyone using it.</p>
      <div className="form-row">
        <TextField
          id="pref-currency"
          label="Currency"
          className="field narrow"
          error={currencyError}
          hint={CODE.test(code) ? `For example ${money(250000, code)}` : "A three-letter code such as EUR"}
          value={values.currency}
          maxLength={3}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => edit({ currency: e.target.value })}
        />
        <div className="field">
          <label htmlFor="pref-date-format">Date format</label>
          <select id="pref-date-format" value={values.date_format} onChange={(e) => edit({ date_format: e.target.value as DateFormat })}>
            {DATE_FORMATS.map((f) => (
              <option key={f} value={f}>
                {formatDate(EXAMPLE_DATE, f)} ({DATE_FORMAT_LABEL[f]})
              </option>
            ))}
          </select>
          <p className="hint">Recent changes still read “3 days ago”; the date shows on hover.</p>
        </div>
      </div>
      <TextField
        id="pref-stale-days"
        label="Stuck after (days in one stage)"
        className="field narrow"
        error={daysError}
        hint="Use cases in a stage for longer are marked “Stuck” on the pipeline and counted on the dashboard."
        value={days}
        inputMode="numeric"
        maxLength={4}
        autoComplete="off"
        onChange={(e) => {
          setDays(e.target.value);
          setDaysLocal(undefined);
          onSaved(false);
          save.reset();
        }}
      />
      <ErrorNote error={otherError} />
      <SaveActions pending={save.isPending} saved={saved && "Saved"} />
    </form>
  );
}
