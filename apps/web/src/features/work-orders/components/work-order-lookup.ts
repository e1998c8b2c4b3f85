// What the work-order views look up an order's ids in (pure): its line's place in the plant (and so its time
// zone), its product's code and name, and the names of machines. Built once per page from the plant tree and the
// product catalogue.
import type { TProduct } from '@takt/contracts';
import type { TPlantTree } from '../../../lib/get-plant-tree.ts';
import { linePlacesOf, type TLinePlace } from './work-order-lines.ts';

export type TOrderLookup = {
  places: readonly TLinePlace[];
  productById: ReadonlyMap<string, TProduct>;
  machineNameById: ReadonlyMap<string, string>;
  /** The zone of orders whose line is unknown when the plant has several zones: the browser's. */
  fallbackZone: string;
};

export function orderLookupOf(
  tree: TPlantTree | undefined,
  products: readonly TProduct[] | undefined,
  fallbackZone: string,
): TOrderLookup {
  return {
    places: tree === undefined ? [] : linePlacesOf(tree),
    productById: new Map((products ?? []).map((product) => [product.id, product])),
    machineNameById: new Map((tree?.machines ?? []).map((machine) => [machine.id, machine.name])),
    fallbackZone,
  };
}

/** The product's code and name; an id the catalogue does not hold (not loaded yet) has neither. */
export function productTextOf(productId: string, lookup: TOrderLookup): { code: string | null; name: string } {
  const product = lookup.productById.get(productId);
  return product === undefined ? { code: null, name: '' } : { code: product.code, name: product.name };
}
