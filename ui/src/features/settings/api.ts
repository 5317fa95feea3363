// Settings' reads and changes of the engine: who you are, where the store is, the preferences, the scoring model, the stage gates, backup and restore, the app's log.
// Identity, the sync status, the scoring model and the gate rules are the shared reads of lib/queries.ts.
import { useMutation, useQueryClient } from "@tanstack/react-query";

import type { GateRules } from "../../bindings/GateRules";
import type { Identity } from "../../bindings/Identity";
import type { Preferences } from "../../bindings/Preferences";
import type { ScoringModel } from "../../bindings/ScoringModel";
import { call } from "../../lib/ipc";
import { apiKey, everythingChanged, useRead, type ReadOptions } from "../../lib/queries";

/** Where the portfolio's file is. */
export const useStoreStatus = (o?: ReadOptions<"store_status">) => useRead("store_status", [], o);

/** Where the app's log is written. */
export const useLogFile = () => useRead("log_file", []);

/** Shows the log file in the system's file manager. */
export const useShowLogFile = () => useMutation({ mutationFn: () => call("log_file_show") });

/** Saves who uses this desktop: the answer is the identity now; the people list names them. */
export function useSetIdentity() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: Identity) => call("identity_set", v),
    onSuccess: (identity) => {
      qc.setQueryData(apiKey("identity_get"), identity);
      void qc.invalidateQueries({ queryKey: apiKey("people_list") });
    },
  });
}

/** Saves the preferences: the answer is what is stored now; the dashboard counts stuck use cases by its days. */
export function useSavePreferences() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (p: Preferences) => call("preferences_save", p),
    onSuccess: (p) => {
      qc.setQueryData(apiKey("preferences_get"), p);
      void qc.invalidateQueries({ queryKey: apiKey("dashboard_get") });
    },
  });
}

/** Saves a new scoring model version: every score is recomputed, so everything is read again. */
export function useSaveScoringModel() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (m: ScoringModel) => call("scoring_model_save", m),
    onSuccess: (m) => {
      qc.setQueryData(apiKey("scoring_model_get"), m);
      void everythingChanged(qc);
    },
  });
}

/** Saves a new version of the gate rules: every open gate checklist follows them. */
export function useSaveGateRules() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (r: GateRules) => call("gate_rules_save", r),
    onSuccess: (r) => {
      qc.setQueryData(apiKey("gate_rules_get"), r);
      void qc.invalidateQueries({ queryKey: ["use_case_stage_options"] });
    },
  });
}

/** Backs the store up where the person chooses: the file written, or null when they cancelled. Nothing changes. */
export const useBackup = () => useMutation({ mutationFn: () => call("store_backup") });

/** Restores a backup the person chooses: where the replaced store is kept, or null when they cancelled. A restore changes everything. */
export function useRestore() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => call("store_restore"),
    onSuccess: (kept) => {
      if (kept !== null) void everythingChanged(qc);
    },
  });
}
