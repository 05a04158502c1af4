/**
 * The JSON contract of Mailsink's v1 HTTP API, shared by the server side (JSON API, start-up
 * configuration of the standalone server) and the client side (the Testcontainers module's remote
 * mailbox and fault rules): one codec per shape, so that both ends read and write the same JSON.
 * Depends on core's model and Jackson only.
 */
package dev.mailsink.json;
