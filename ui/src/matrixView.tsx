// Placeholder: filled in by the view's own change.
export function MatrixView(_props: { onOpen: (id: string) => void; openId: string | null }) {
  return <section className="view" aria-label="MatrixView" />;
}
