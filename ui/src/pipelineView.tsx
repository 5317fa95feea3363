// Placeholder: filled in by the view's own change.
export function PipelineView(_props: { onOpen: (id: string) => void; openId: string | null }) {
  return <section className="view" aria-label="PipelineView" />;
}
