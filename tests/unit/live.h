/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * live.h - for the unit tests that need real sockets: a network namespace
 * of the test process's own, with its loopback up
 */
#ifndef TCPLAB_TEST_LIVE_H
#define TCPLAB_TEST_LIVE_H

/*
 * live_netns() - move the calling process (single-threaded: call it before
 * starting a thread) into a new network namespace and bring its loopback
 * up; the test is skipped, saying why, where namespaces may not be made
 * (without privilege).  Call from inside a cmocka test.
 */
void live_netns(void);

#endif
