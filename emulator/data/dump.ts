import { BSON, EJSON } from "bson";

import type { Databases } from "./collection";

// A mongodump directory of a deployment's data: for each collection, `<db>/<coll>.bson` (its
// documents, BSON one after another) and `<db>/<coll>.metadata.json` (options, indexes, UUID, in
// canonical Extended JSON), the layout `mongorestore --dir` and `bsondump` read.

/** One file of a dump. */
export interface DumpFile {
  readonly name: string;
  readonly content: string | Uint8Array;
}

/** The dump files of `databases`, under `folder`. */
export function dumpFiles(databases: Databases, folder: string): DumpFile[] {
  const files: DumpFile[] = [];
  for (const [db, collections] of databases) {
    for (const [name, collection] of collections) {
      const chunks: Uint8Array[] = [];
      for (const doc of collection.documents()) chunks.push(BSON.serialize(doc));
      const metadata = {
        options: collection.options,
        indexes: collection.indexes,
        uuid: collection.uuid.replace(/-/g, ""),
        collectionName: name,
        type: "collection",
      };
      files.push(
        { name: `${folder}/${db}/${name}.bson`, content: Buffer.concat(chunks) },
        {
          name: `${folder}/${db}/${name}.metadata.json`,
          content: EJSON.stringify(metadata, { relaxed: false }),
        },
      );
    }
  }
  return files;
}
