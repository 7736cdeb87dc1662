/** Streams that count, hash and check the bytes of archives. */
package dev.lifeboat.io;
