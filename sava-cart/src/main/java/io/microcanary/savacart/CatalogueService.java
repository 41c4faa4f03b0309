package io.microcanary.savacart;

/** The store's products; never fails and never hangs: a catalogue that cannot answer is replaced by fallbacks. */
interface CatalogueService {

    Products products();
}
