/** The common printer model lives with the contract (the renderer shares it); printers import it from here. */
export * from '../contract/printer-model';
