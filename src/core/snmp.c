// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * snmp.c - the names of the kernel's TCP and IP counters (see snmp.h)
 *
 * The table holds every Tcp*, TcpExt*, Ip*, IpExt* and Ip6* name that
 * /proc/net/snmp, /proc/net/netstat and /proc/net/snmp6 list on Linux 6.18,
 * spelt as nstat prints them.  Names only ever get added to those files, so
 * a name not in the table is a misspelling (or a counter newer than the
 * table: the run checks the running kernel's own list too).  The nearest
 * name by edit distance is offered back.
 */
#include "snmp.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static const char *const snmp_names[] = {
	"Ip6FragCreates", "Ip6FragFails", "Ip6FragOKs", "Ip6InAddrErrors",
	"Ip6InBcastOctets", "Ip6InCEPkts", "Ip6InDelivers", "Ip6InDiscards",
	"Ip6InECT0Pkts", "Ip6InECT1Pkts", "Ip6InHdrErrors", "Ip6InMcastOctets",
	"Ip6InMcastPkts", "Ip6InNoECTPkts", "Ip6InNoRoutes", "Ip6InOctets",
	"Ip6InReceives", "Ip6InTooBigErrors", "Ip6InTruncatedPkts",
	"Ip6InUnknownProtos", "Ip6OutBcastOctets", "Ip6OutDiscards",
	"Ip6OutForwDatagrams", "Ip6OutMcastOctets", "Ip6OutMcastPkts",
	"Ip6OutNoRoutes", "Ip6OutOctets", "Ip6OutRequests", "Ip6OutTransmits",
	"Ip6ReasmFails", "Ip6ReasmOKs", "Ip6ReasmReqds", "Ip6ReasmTimeout",
	"IpDefaultTTL", "IpExtInBcastOctets", "IpExtInBcastPkts",
	"IpExtInCEPkts", "IpExtInCsumErrors", "IpExtInECT0Pkts",
	"IpExtInECT1Pkts", "IpExtInMcastOctets", "IpExtInMcastPkts",
	"IpExtInNoECTPkts", "IpExtInNoRoutes", "IpExtInOctets",
	"IpExtInTruncatedPkts", "IpExtOutBcastOctets", "IpExtOutBcastPkts",
	"IpExtOutMcastOctets", "IpExtOutMcastPkts", "IpExtOutOctets",
	"IpExtReasmOverlaps", "IpForwDatagrams", "IpForwarding",
	"IpFragCreates", "IpFragFails", "IpFragOKs", "IpInAddrErrors",
	"IpInDelivers", "IpInDiscards", "IpInHdrErrors", "IpInReceives",
	"IpInUnknownProtos", "IpOutDiscards", "IpOutNoRoutes", "IpOutRequests",
	"IpOutTransmits", "IpReasmFails", "IpReasmOKs", "IpReasmReqds",
	"IpReasmTimeout", "TcpActiveOpens", "TcpAttemptFails", "TcpCurrEstab",
	"TcpEstabResets", "TcpExtArpFilter", "TcpExtBeyondWindow",
	"TcpExtBusyPollRxPackets", "TcpExtDelayedACKLocked",
	"TcpExtDelayedACKLost", "TcpExtDelayedACKs", "TcpExtEmbryonicRsts",
	"TcpExtIPReversePathFilter", "TcpExtListenDrops",
	"TcpExtListenOverflows", "TcpExtLockDroppedIcmps", "TcpExtOfoPruned",
	"TcpExtOutOfWindowIcmps", "TcpExtPAWSActive", "TcpExtPAWSEstab",
	"TcpExtPAWSOldAck", "TcpExtPAWSTimewait", "TcpExtPFMemallocDrop",
	"TcpExtPruneCalled", "TcpExtRcvPruned", "TcpExtSyncookiesFailed",
	"TcpExtSyncookiesRecv", "TcpExtSyncookiesSent",
	"TcpExtTCPACKSkippedChallenge", "TcpExtTCPACKSkippedFinWait2",
	"TcpExtTCPACKSkippedPAWS", "TcpExtTCPACKSkippedSeq",
	"TcpExtTCPACKSkippedSynRecv", "TcpExtTCPACKSkippedTimeWait",
	"TcpExtTCPAOBad", "TcpExtTCPAODroppedIcmps", "TcpExtTCPAOGood",
	"TcpExtTCPAOKeyNotFound", "TcpExtTCPAORequired",
	"TcpExtTCPAbortFailed", "TcpExtTCPAbortOnClose",
	"TcpExtTCPAbortOnData", "TcpExtTCPAbortOnLinger",
	"TcpExtTCPAbortOnMemory", "TcpExtTCPAbortOnTimeout",
	"TcpExtTCPAckCompressed", "TcpExtTCPAutoCorking",
	"TcpExtTCPBacklogCoalesce", "TcpExtTCPBacklogDrop",
	"TcpExtTCPChallengeACK", "TcpExtTCPDSACKIgnoredDubious",
	"TcpExtTCPDSACKIgnoredNoUndo", "TcpExtTCPDSACKIgnoredOld",
	"TcpExtTCPDSACKOfoRecv", "TcpExtTCPDSACKOfoSent",
	"TcpExtTCPDSACKOldSent", "TcpExtTCPDSACKRecv",
	"TcpExtTCPDSACKRecvSegs", "TcpExtTCPDSACKUndo",
	"TcpExtTCPDeferAcceptDrop", "TcpExtTCPDelivered",
	"TcpExtTCPDeliveredCE", "TcpExtTCPFastOpenActive",
	"TcpExtTCPFastOpenActiveFail", "TcpExtTCPFastOpenBlackhole",
	"TcpExtTCPFastOpenCookieReqd", "TcpExtTCPFastOpenListenOverflow",
	"TcpExtTCPFastOpenPassive", "TcpExtTCPFastOpenPassiveAltKey",
	"TcpExtTCPFastOpenPassiveFail", "TcpExtTCPFastRetrans",
	"TcpExtTCPFromZeroWindowAdv", "TcpExtTCPFullUndo", "TcpExtTCPHPAcks",
	"TcpExtTCPHPHits", "TcpExtTCPHystartDelayCwnd",
	"TcpExtTCPHystartDelayDetect", "TcpExtTCPHystartTrainCwnd",
	"TcpExtTCPHystartTrainDetect", "TcpExtTCPKeepAlive",
	"TcpExtTCPLossFailures", "TcpExtTCPLossProbeRecovery",
	"TcpExtTCPLossProbes", "TcpExtTCPLossUndo", "TcpExtTCPLostRetransmit",
	"TcpExtTCPMD5Failure", "TcpExtTCPMD5NotFound",
	"TcpExtTCPMD5Unexpected", "TcpExtTCPMTUPFail", "TcpExtTCPMTUPSuccess",
	"TcpExtTCPMemoryPressures", "TcpExtTCPMemoryPressuresChrono",
	"TcpExtTCPMigrateReqFailure", "TcpExtTCPMigrateReqSuccess",
	"TcpExtTCPMinTTLDrop", "TcpExtTCPOFODrop", "TcpExtTCPOFOMerge",
	"TcpExtTCPOFOQueue", "TcpExtTCPOrigDataSent", "TcpExtTCPPLBRehash",
	"TcpExtTCPPartialUndo", "TcpExtTCPPureAcks", "TcpExtTCPRcvCoalesce",
	"TcpExtTCPRcvCollapsed", "TcpExtTCPRcvQDrop", "TcpExtTCPRenoFailures",
	"TcpExtTCPRenoRecovery", "TcpExtTCPRenoRecoveryFail",
	"TcpExtTCPRenoReorder", "TcpExtTCPReqQFullDoCookies",
	"TcpExtTCPReqQFullDrop", "TcpExtTCPRetransFail",
	"TcpExtTCPSACKDiscard", "TcpExtTCPSACKReneging",
	"TcpExtTCPSACKReorder", "TcpExtTCPSYNChallenge",
	"TcpExtTCPSackFailures", "TcpExtTCPSackMerged",
	"TcpExtTCPSackRecovery", "TcpExtTCPSackRecoveryFail",
	"TcpExtTCPSackShiftFallback", "TcpExtTCPSackShifted",
	"TcpExtTCPSlowStartRetrans", "TcpExtTCPSpuriousRTOs",
	"TcpExtTCPSpuriousRtxHostQueues", "TcpExtTCPSynRetrans",
	"TcpExtTCPTSReorder", "TcpExtTCPTimeWaitOverflow", "TcpExtTCPTimeouts",
	"TcpExtTCPToZeroWindowAdv", "TcpExtTCPWantZeroWindowAdv",
	"TcpExtTCPWinProbe", "TcpExtTCPWqueueTooBig",
	"TcpExtTCPZeroWindowDrop", "TcpExtTSEcrRejected", "TcpExtTW",
	"TcpExtTWKilled", "TcpExtTWRecycled", "TcpExtTcpDuplicateDataRehash",
	"TcpExtTcpTimeoutRehash", "TcpInCsumErrors", "TcpInErrs", "TcpInSegs",
	"TcpMaxConn", "TcpOutRsts", "TcpOutSegs", "TcpPassiveOpens",
	"TcpRetransSegs", "TcpRtoAlgorithm", "TcpRtoMax", "TcpRtoMin",
};

int snmp_known(const char *name)
{
	size_t lo = 0, hi = ARRAY_SIZE(snmp_names);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(name, snmp_names[mid]);

		if (!c)
			return 1;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

/* Levenshtein distance, case-insensitive, of two short names */
static size_t snmp_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[SNMP_NAME_MAX + 1];

	if (la > SNMP_NAME_MAX || lb > SNMP_NAME_MAX)
		return (size_t)-1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t sub = diag + ((a[i - 1] | 0x20) != (b[j - 1] | 0x20));
			size_t best = up + 1 < row[j - 1] + 1 ? up + 1 : row[j - 1] + 1;

			row[j] = sub < best ? sub : best;
			diag = up;
		}
	}
	return row[lb];
}

const char *snmp_nearest(const char *name)
{
	const char *best = NULL;
	size_t i, d, bd = (size_t)-1;

	for (i = 0; i < ARRAY_SIZE(snmp_names); i++) {
		d = snmp_distance(name, snmp_names[i]);
		if (d < bd) {
			bd = d;
			best = snmp_names[i];
		}
	}
	/* only a near miss is worth offering */
	return best && bd <= 1 + strlen(name) / 4 ? best : NULL;
}
