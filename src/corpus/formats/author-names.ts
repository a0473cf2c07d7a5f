/**
 * Splitting a single "authors" cell, as spreadsheets and JSON strings give it. Semicolons always separate
 * authors. Commas are ambiguous — "Smith, John" is one person, "Smith J, Doe A" (PubMed CSV) is two — so
 * commas split only when every part has a space inside (a PubMed-style "Surname Initials").
 */
export function splitAuthorCell(cell: string): string[] {
  const text = cell.trim().replace(/\.$/, '');
  if (!text) return [];
  if (/[;；]/.test(text)) return text.split(/[;；]/).map((s) => s.trim()).filter(Boolean);
  if (/[、，]/.test(text)) return text.split(/[、，]/).map((s) => s.trim()).filter(Boolean);
  const parts = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (parts.length > 1 && parts.every((p) => /\s/.test(p))) return parts;
  if (/\s+and\s+/.test(text) && !text.includes(',')) return text.split(/\s+and\s+/).map((s) => s.trim()).filter(Boolean);
  return [text];
}
