// The left navigation for a role: the pages of config/paths.ts the role may open, grouped in the order the
// table lists them. Pure, so the role → menu rule is unit-tested rather than only seen in screenshots.
import { hasRole, type TRole } from '@takt/contracts';
import { appPages, type TAppPageId, type TNavigationGroup } from '../../config/paths.ts';
import type { TPlainMessageKey } from '../../lib/i18n/translate.ts';

export type TNavigationItem = { id: TAppPageId; path: string; labelKey: TPlainMessageKey };
export type TNavigationSection = { group: TNavigationGroup; titleKey: TPlainMessageKey; items: TNavigationItem[] };

const SECTION_TITLES: Record<TNavigationGroup, TPlainMessageKey> = {
  production: 'nav.production',
  administration: 'nav.administration',
};

// Object.keys loses the literal key type; appPages is declared `as const`, so the keys are exactly TAppPageId.
const PAGE_IDS = Object.keys(appPages) as TAppPageId[];

/** The navigation sections `role` sees; a section with no visible page is left out. */
export function getNavigationSections(role: TRole): TNavigationSection[] {
  const sections: TNavigationSection[] = [];
  for (const id of PAGE_IDS) {
    const page = appPages[id];
    if (!hasRole(role, page.minRole)) continue;
    let section = sections.find((candidate) => candidate.group === page.group);
    if (section === undefined) {
      section = { group: page.group, titleKey: SECTION_TITLES[page.group], items: [] };
      sections.push(section);
    }
    section.items.push({ id, path: page.path, labelKey: page.labelKey });
  }
  return sections;
}

/** The same items as one flat list, in display order. */
export function getNavigationItems(role: TRole): TNavigationItem[] {
  return getNavigationSections(role).flatMap((section) => section.items);
}
