// The Settings view: who you are, the scoring model editor, and the gate rules (read-only for now).
import { useQuery } from "@tanstack/react-query";

import { ErrorNote } from "./errorNote";
import { IdentityForm } from "./identity";
import { apiQuery } from "./queries";
import { ScoringModelEditor } from "./scoringModelEditor";
import { requirementLabel, STAGE_LABEL, STAGES } from "./vocabulary";

export function SettingsView() {
  const identity = useQuery(apiQuery("identity_get"));
  const store = useQuery(apiQuery("store_status"));
  return (
    <section className="view settings" aria-labelledby="settings-heading">
      <header className="view-head">
        <h1 id="settings-heading">Settings</h1>
      </header>
      <section className="card" aria-labelledby="identity-heading">
        <h2 id="identity-heading">You</h2>
        <p className="hint">Your name and email are recorded with every change you make.</p>
        {identity.isSuccess && <IdentityForm key={identity.data?.email ?? "none"} current={identity.data} />}
        <ErrorNote error={identity.error} />
        {store.data && (
          <p className="hint store-path">
            This portfolio is stored in <code>{store.data}</code>
          </p>
        )}
      </section>
      <section className="card">
        <ScoringModelEditor />
      </section>
      <section className="card" aria-labelledby="gates-heading">
        <GateRulesView />
      </section>
    </section>
  );
}

function GateRulesView() {
  const rules = useQuery(apiQuery("gate_rules_get"));
  return (
    <>
      <h2 id="gates-heading">Stage gates</h2>
      <p className="hint">
        What a use case needs before it moves forward into each stage{rules.data ? ` (rules version ${rules.data.version})` : ""}. Moves back, parking and
        retiring need a note instead. Editing the rules is not available yet.
      </p>
      <ErrorNote error={rules.error} />
      {rules.data && (
        <table className="data-table gate-rules">
          <thead>
            <tr>
              <th scope="col">Moving into</th>
              <th scope="col">Requires</th>
            </tr>
          </thead>
          <tbody>
            {STAGES.filter((s) => s !== "idea" && s !== "parked" && s !== "retired").map((s) => {
              const reqs = rules.data.stages[s] ?? [];
              return (
                <tr key={s}>
                  <th scope="row">{STAGE_LABEL[s]}</th>
                  <td>{reqs.length === 0 ? <span className="muted">Nothing</span> : reqs.map(requirementLabel).join("; ")}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}
