// Placeholder: filled in by the view's own change.
export function ReviewView(_props: { onOpen: (id: string) => void }) {
  return <section className="view" aria-label="ReviewView" />;
}
