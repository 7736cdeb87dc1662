package dev.lifeboat.mongo.archive;

/**
 * What an archive holds for one namespace, as read and checked.
 *
 * @param documents the number of documents
 * @param bytes the documents' total size in bytes
 * @param crc the CRC-64/XZ stored in its EOF block, which equals the recomputed one
 */
public record NamespaceStats(long documents, long bytes, long crc) {}
