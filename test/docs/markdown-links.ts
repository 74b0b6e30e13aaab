// The links of a Markdown file that only work inside the repository (relative paths), which break
// once the file is shown on the registry's page or read from an installed package.

/** Every link target of `markdown` (inline `[text](target)`, reference `[x]: target`, `href="…"`). */
export function linkTargets(markdown: string): string[] {
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  const targets: string[] = [];
  for (const match of withoutCode.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    targets.push(match[1]!);
  }
  for (const match of withoutCode.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)) {
    targets.push(match[1]!);
  }
  for (const match of withoutCode.matchAll(/\b(?:href|src)="([^"]+)"/g)) targets.push(match[1]!);
  return targets;
}

/** Absolute URLs and anchors in the same page work anywhere; everything else is relative. */
export function isPortableLink(target: string): boolean {
  return /^(?:https?:|mailto:)/i.test(target) || target.startsWith('#');
}

/** The links of `markdown` that are not portable. */
export function relativeLinks(markdown: string): string[] {
  return linkTargets(markdown).filter((target) => !isPortableLink(target));
}
