/*
 * Binds log() and pow() to their oldest glibc versions, so the Native AOT binary needs no glibc newer than
 * 2.17 (amd64 and arm64 alike) even though it is linked against Debian 11's glibc 2.31.
 *
 * glibc 2.29 gave log and pow new symbol versions (faster code, and no longer setting errno through the
 * old SVID error handling, which .NET never looks at); every other symbol the program uses is 2.17 or
 * older. The linker is told to send every reference to log and pow here (-Wl,--wrap=log -Wl,--wrap=pow,
 * see glibc-compat.targets), and these wrappers call the old versions, which every glibc since 2.2.5
 * (amd64) or 2.17 (arm64, the first with aarch64) provides. The results are the same for every finite,
 * infinite and NaN input: only errno handling differs, and nothing reads errno after Math.Log or Math.Pow.
 */
#if defined(__x86_64__)
#define K0SNIP_OLD_LIBM "GLIBC_2.2.5"
#elif defined(__aarch64__)
#define K0SNIP_OLD_LIBM "GLIBC_2.17"
#else
#error "glibc-compat.c: add the oldest libm symbol version of this architecture"
#endif

double k0snip_log_compat(double x);
double k0snip_pow_compat(double x, double y);
__asm__(".symver k0snip_log_compat,log@" K0SNIP_OLD_LIBM);
__asm__(".symver k0snip_pow_compat,pow@" K0SNIP_OLD_LIBM);

double __wrap_log(double x) { return k0snip_log_compat(x); }
double __wrap_pow(double x, double y) { return k0snip_pow_compat(x, y); }
