/** The Spring test-context glue behind {@code @AutoConfigureMailsink}; not API. */
package dev.mailsink.spring.internal;
