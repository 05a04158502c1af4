/**
 * Mailsink for Spring Boot tests: {@link
 * dev.mailsink.spring.AutoConfigureMailsink @AutoConfigureMailsink} starts a sink per cached test
 * context, sets {@code spring.mail.*} before the context starts and offers the sink and its mailbox
 * as beans.
 *
 * <p>Compiled against Spring Framework 6.2; works with Spring Boot 3.5 and 4.0. The user's build
 * brings Spring (the Spring dependencies are {@code provided}).
 */
package dev.mailsink.spring;
