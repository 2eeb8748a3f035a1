/*
 * PHP's request time limit and fatal errors around wasm calls.
 *
 * max_execution_time: PHP (NTS, Linux) counts it with an ITIMER_PROF timer whose SIGPROF handler
 * only sets a flag that its VM checks between PHP instructions, so it could never stop a guest
 * that loops. For each request the extension puts a handler in front of PHP's that first
 * interrupts the store whose code is running (orca_store_interrupt_from_signal: async-signal-
 * safe), then runs PHP's. The guest traps "interrupted", the call returns, and PHP reports its
 * "Maximum execution time exceeded" fatal error as it would for PHP code.
 *
 * Fatal errors (that one, the memory limit, ...) leave PHP by a longjmp to the request's bailout
 * point. One raised in a host function must not jump over wasm frames: the host call catches it
 * (zend_try), returns a trap that unwinds the guest, and the PHP call that entered wasm resumes
 * the bailout once wasm has returned.
 */

%{
#include <signal.h>
#include "zend_exceptions.h"

/* The store whose code runs now (innermost call), for the SIGPROF handler; null outside calls. */
static wasm_store_t* volatile orca_php_running_store;
/* A fatal error of a host function waits for its wasm call to return (orca_php_resume_bailout). */
static bool orca_php_bailout_pending;

#ifndef ZEND_MAX_EXECUTION_TIMERS
static struct sigaction orca_php_previous_prof;
static bool orca_php_prof_installed;

static void orca_php_on_prof(int sig, siginfo_t* info, void* context) {
  wasm_store_t* store = orca_php_running_store;
  if (store) orca_store_interrupt_from_signal(store);
  if (orca_php_previous_prof.sa_flags & SA_SIGINFO) {
    if (orca_php_previous_prof.sa_sigaction) orca_php_previous_prof.sa_sigaction(sig, info, context);
  } else if (orca_php_previous_prof.sa_handler != SIG_DFL && orca_php_previous_prof.sa_handler != SIG_IGN) {
    orca_php_previous_prof.sa_handler(sig);
  }
}
#endif

/* At request start: the SIGPROF handler in front of PHP's (which PHP installed before RINIT). */
static void orca_php_timeout_start(void) {
  orca_php_running_store = NULL;
  orca_php_bailout_pending = false;
#ifndef ZEND_MAX_EXECUTION_TIMERS
  struct sigaction current;
  if (orca_php_prof_installed || sigaction(SIGPROF, NULL, &current) != 0) return;
  if ((current.sa_flags & SA_SIGINFO) ? current.sa_sigaction == orca_php_on_prof : false) return;
  struct sigaction ours = current;
  ours.sa_flags |= SA_SIGINFO;
  ours.sa_sigaction = orca_php_on_prof;
  orca_php_previous_prof = current;
  orca_php_prof_installed = sigaction(SIGPROF, &ours, NULL) == 0;
#endif
}

/* At request end: PHP's handler back, unless something replaced ours meanwhile. */
static void orca_php_timeout_end(void) {
#ifndef ZEND_MAX_EXECUTION_TIMERS
  struct sigaction current;
  if (!orca_php_prof_installed) return;
  orca_php_prof_installed = false;
  if (sigaction(SIGPROF, NULL, &current) == 0 && (current.sa_flags & SA_SIGINFO) &&
      current.sa_sigaction == orca_php_on_prof) {
    sigaction(SIGPROF, &orca_php_previous_prof, NULL);
  }
#endif
}

/* After a wasm call returned: a host function's fatal error continues to PHP's bailout point. The
 * flag is cleared first: the next zend_try that catches it (an outer host function's) sets it
 * again, and code after the bailout (shutdown functions) calls wasm as usual. */
static void orca_php_resume_bailout(void) {
  if (!orca_php_bailout_pending) return;
  orca_php_bailout_pending = false;
  zend_bailout();
}
%}

%rinit %{
  orca_php_timeout_start();
%}

%rshutdown %{
  orca_php_timeout_end();
%}
