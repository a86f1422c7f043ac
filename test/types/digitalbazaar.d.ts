// The Digital Bazaar packages ship no type declarations; these cover what the tests call.
declare module '@digitalbazaar/eddsa-jcs-2022-cryptosuite' {
  export function createVerifyCryptosuite(): object;
}

declare module '@digitalbazaar/data-integrity' {
  export class DataIntegrityProof {
    constructor(options: { cryptosuite: object });
  }
}

declare module '@digitalbazaar/data-integrity-context' {
  const context: { contexts: Map<string, object> };
  export default context;
}

declare module 'jsonld-signatures' {
  type DocumentLoader = (url: string) => Promise<{ contextUrl: null; documentUrl: string; document: object }>;
  const jsigs: {
    verify(document: object, options: { suite: object; purpose: object; documentLoader: DocumentLoader }): Promise<{ verified: boolean; error?: { message: string; errors?: { message: string }[] } }>;
    purposes: { AssertionProofPurpose: new () => object };
  };
  export default jsigs;
}
