// The Likely duplicates view: pairs of live use cases whose text is much alike, each opening either one or merging the two.
import { useState } from "react";

import type { DuplicatePair } from "../../bindings/DuplicatePair";
import "./duplicatesView.css";
import { ErrorNote } from "../../components/errorNote";
import { plural } from "../../lib/format";
import { MergeDialog } from "../use-case";
import { useDuplicatePairs } from "./api";

const percent = (similarity: number) => `${Math.round(similarity * 100)}%`;

export function DuplicatesView({ onOpen }: { onOpen: (id: string) => void }) {
  const pairs = useDuplicatePairs();
  const [merging, setMerging] = useState<DuplicatePair | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const list = pairs.data ?? [];

  return (
    <section className="view duplicates" aria-labelledby="duplicates-heading">
      <header className="view-head">
        <h1 id="duplicates-heading">Likely duplicates</h1>
        {pairs.data && <span className="count">{plural(list.length, "pair", "pairs")}</span>}
      </header>
      <p className="hint">
        Live use cases whose titles and descriptions are 60% or more alike, most alike first. Check each pair: when the two are one effort, merge them.
      </p>
      {pairs.isLoading && <p className="loading">Comparing the use cases…</p>}
      <ErrorNote error={pairs.error} />
      {notice && (
        <p className="status ok" role="status">
          {notice}
        </p>
      )}
      {pairs.data && list.length === 0 && <p className="empty-state">No likely duplicates: no two live use cases are that much alike.</p>}
      {list.length > 0 && (
        <table className="data-table duplicate-pairs" aria-label="Likely duplicate pairs">
          <thead>
            <tr>
              <th scope="col">Use case</th>
              <th scope="col">Looks like</th>
              <th scope="col" className="num">
                Similarity
              </th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((p) => (
              <tr key={`${p.a.id}-${p.b.id}`}>
                {[p.a, p.b].map((s) => (
                  <td key={s.id}>
                    <button type="button" className="link-button" onClick={() => onOpen(s.id)}>
                      {s.title}
                    </button>
                  </td>
                ))}
                <td className="num">{percent(p.similarity)}</td>
                <td>
                  <button type="button" aria-label={`Merge “${p.a.title}” and “${p.b.title}”…`} onClick={() => setMerging(p)}>
                    Merge…
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {merging && (
        <MergeDialog
          first={merging.a}
          second={merging.b}
          onClose={() => setMerging(null)}
          onMerged={(kept, gone) => {
            setMerging(null);
            setNotice(`Merged “${gone.title}” into “${kept.title}”.`);
          }}
        />
      )}
    </section>
  );
}
