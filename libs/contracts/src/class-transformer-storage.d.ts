/** class-transformer ships the nested-type metadata store without types at this path; its types live beside. */
declare module 'class-transformer/cjs/storage' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage';
}
