/**
 * End-to-end tests: the product as an operator runs it (bin/smartupdate as a child process),
 * exercised across features at once, such as downloads surviving a restart under load or the
 * write path under a memory attack. Tests of one feature live in that feature's package.
 */
package io.smartupdate.e2e;
