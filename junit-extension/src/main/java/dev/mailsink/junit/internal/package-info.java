/** Implementation of the JUnit extension; not API, may change without notice. */
package dev.mailsink.junit.internal;
