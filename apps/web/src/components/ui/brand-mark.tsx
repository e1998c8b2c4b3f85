// The Takt logo mark (same drawing as public/favicon.svg) and the product name beside it.
export function BrandMark({ size = 28 }: { size?: number }) {
  return (
    <svg className="brand-mark" width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="6" fill="var(--color-brand-mark-bg)" />
      <path d="M7 9h18v4h-7v12h-4V13H7z" fill="var(--color-accent)" />
    </svg>
  );
}
