package atlassdk

import (
	"net/http"
	"testing"
	"time"

	"go.mongodb.org/atlas-sdk/v20250312018/admin"
)

// The official Go SDK (go.mongodb.org/atlas-sdk) against the emulator, under both auth modes: every
// operation the SDK has for serverless instances, Flex clusters and dedicated clusters' backups (snapshots,
// on-demand snapshots, restore jobs of every delivery type, cancel, the clusters, every list page by
// page). Any decode error, unexpected status or field the SDK does not know fails it.

func TestOfficialSDK(t *testing.T) {
	for _, mode := range authModes {
		t.Run(mode.name, func(t *testing.T) {
			// Each mode starts from the seed: no jobs, the clock back at the start.
			adminCall(t, http.MethodPost, "/reset", nil, nil)
			s := newSession(t, mode)
			t.Run("serverless", s.serverless)
			t.Run("flex", s.flex)
			t.Run("dedicated", s.dedicated)
			t.Logf("%d HTTP exchanges", s.recorder.requests)
		})
	}
}

// The seed's restore jobs take 60 s of the emulator's clock; this is past their end.
const pastTheEnd = 61 * time.Second

func (s *session) serverless(t *testing.T) {
	c, ctx := s.client, s.ctx
	walk(t, s, "ListServerlessInstances", 2,
		func(n int) (*admin.PaginatedServerlessInstanceDescription, *http.Response, error) {
			return c.ServerlessInstancesApi.ListServerlessInstances(ctx, project).ItemsPerPage(1).PageNum(n).Execute()
		},
		func(p *admin.PaginatedServerlessInstanceDescription) int { return len(p.GetResults()) })
	instance, res, err := c.ServerlessInstancesApi.GetServerlessInstance(ctx, project, "prod-orders").Execute()
	s.ok(t, "GetServerlessInstance", instance, res, err, http.StatusOK)
	if instance.GetStateName() != "IDLE" || instance.GetName() != "prod-orders" {
		t.Fatalf("GetServerlessInstance: %s %s", instance.GetName(), instance.GetStateName())
	}

	walk(t, s, "ListServerlessBackupSnapshots", 5,
		func(n int) (*admin.PaginatedApiAtlasServerlessBackupSnapshot, *http.Response, error) {
			return c.CloudBackupsApi.ListServerlessBackupSnapshots(ctx, project, "prod-orders").ItemsPerPage(1).PageNum(n).Execute()
		},
		func(p *admin.PaginatedApiAtlasServerlessBackupSnapshot) int { return len(p.GetResults()) })
	snapshot, res, err := c.CloudBackupsApi.GetServerlessBackupSnapshot(ctx, project, "prod-orders", "6650a1b2c3d4e5f6a7b8cb03").Execute()
	s.ok(t, "GetServerlessBackupSnapshot", snapshot, res, err, http.StatusOK)
	if snapshot.GetStatus() != "completed" {
		t.Fatalf("GetServerlessBackupSnapshot: status %s", snapshot.GetStatus())
	}

	hourAgo := int(emulatorNow(t).Add(-time.Hour).Unix())
	requests := map[string]*admin.ServerlessBackupRestoreJob{
		"automated":   admin.NewServerlessBackupRestoreJob("automated", "staging-orders", project),
		"download":    admin.NewServerlessBackupRestoreJob("download", "staging-orders", project),
		"pointInTime": admin.NewServerlessBackupRestoreJob("pointInTime", "staging-orders", project),
	}
	requests["automated"].SetSnapshotId("6650a1b2c3d4e5f6a7b8cb03")
	requests["download"].SetSnapshotId("6650a1b2c3d4e5f6a7b8cb02")
	requests["pointInTime"].SetPointInTimeUTCSeconds(hourAgo)
	ids := map[string]string{}
	for kind, request := range requests {
		job, res, err := c.CloudBackupsApi.CreateServerlessRestoreJob(ctx, project, "prod-orders", request).Execute()
		s.ok(t, "CreateServerlessRestoreJob "+kind, job, res, err, http.StatusOK)
		if job.GetDeliveryType() != kind || job.GetFailed() || job.FinishedAt != nil {
			t.Fatalf("CreateServerlessRestoreJob %s: %s", kind, describe(job))
		}
		ids[kind] = job.GetId()
	}
	target, res, err := c.ServerlessInstancesApi.GetServerlessInstance(ctx, project, "staging-orders").Execute()
	s.ok(t, "GetServerlessInstance (target)", target, res, err, http.StatusOK)
	if target.GetStateName() != "UPDATING" {
		t.Fatalf("the target of running restores is %s", target.GetStateName())
	}
	advance(t, pastTheEnd)
	for kind, id := range ids {
		job, res, err := c.CloudBackupsApi.GetServerlessRestoreJob(ctx, project, "prod-orders", id).Execute()
		s.ok(t, "GetServerlessRestoreJob "+kind, job, res, err, http.StatusOK)
		if job.FinishedAt == nil || job.GetFailed() || (kind == "download") != (len(job.GetDeliveryUrl()) == 1) {
			t.Fatalf("GetServerlessRestoreJob %s after its end: %s", kind, describe(job))
		}
	}
	walk(t, s, "ListServerlessRestoreJobs", 3,
		func(n int) (*admin.PaginatedApiAtlasServerlessBackupRestoreJob, *http.Response, error) {
			return c.CloudBackupsApi.ListServerlessRestoreJobs(ctx, project, "prod-orders").ItemsPerPage(1).PageNum(n).Execute()
		},
		func(p *admin.PaginatedApiAtlasServerlessBackupRestoreJob) int { return len(p.GetResults()) })
	_, res, err = c.CloudBackupsApi.GetServerlessRestoreJob(ctx, project, "prod-orders", "0123456789abcdef01234567").Execute()
	refused(t, "GetServerlessRestoreJob (unknown)", res, err, http.StatusNotFound, "RESTORE_JOB_NOT_FOUND")
}

func (s *session) flex(t *testing.T) {
	c, ctx := s.client, s.ctx
	cluster, res, err := c.FlexClustersApi.GetFlexCluster(ctx, project, "prod-orders").Execute()
	s.ok(t, "GetFlexCluster", cluster, res, err, http.StatusOK)
	if cluster.GetStateName() != "IDLE" {
		t.Fatalf("GetFlexCluster: %s", cluster.GetStateName())
	}
	walk(t, s, "ListFlexBackupSnapshots", 4,
		func(n int) (*admin.PaginatedApiAtlasFlexBackupSnapshot20241113, *http.Response, error) {
			return c.FlexSnapshotsApi.ListFlexBackupSnapshots(ctx, project, "prod-orders").ItemsPerPage(1).PageNum(n).Execute()
		},
		func(p *admin.PaginatedApiAtlasFlexBackupSnapshot20241113) int { return len(p.GetResults()) })
	snapshot, res, err := c.FlexSnapshotsApi.GetFlexBackupSnapshot(ctx, project, "prod-orders", "6650a1b2c3d4e5f6a7b8cd03").Execute()
	s.ok(t, "GetFlexBackupSnapshot", snapshot, res, err, http.StatusOK)
	if snapshot.GetStatus() != "COMPLETED" {
		t.Fatalf("GetFlexBackupSnapshot: %s", snapshot.GetStatus())
	}

	download, res, err := c.FlexSnapshotsApi.DownloadFlexBackup(ctx, "prod-orders", project,
		admin.NewFlexBackupSnapshotDownloadCreate20241113("6650a1b2c3d4e5f6a7b8cd02")).Execute()
	s.ok(t, "DownloadFlexBackup", download, res, err, http.StatusOK)
	if download.GetDeliveryType() != "DOWNLOAD" || download.GetSnapshotUrl() == "" {
		t.Fatalf("DownloadFlexBackup: %s", describe(download))
	}
	restore, res, err := c.FlexRestoreJobsApi.CreateFlexRestoreJob(ctx, project, "prod-orders",
		admin.NewFlexBackupRestoreJobCreate20241113("6650a1b2c3d4e5f6a7b8cd03", "staging-orders")).Execute()
	s.ok(t, "CreateFlexRestoreJob", restore, res, err, http.StatusOK)
	advance(t, pastTheEnd)
	for _, id := range []string{download.GetId(), restore.GetId()} {
		job, res, err := c.FlexRestoreJobsApi.GetFlexRestoreJob(ctx, project, "prod-orders", id).Execute()
		s.ok(t, "GetFlexRestoreJob", job, res, err, http.StatusOK)
		if job.GetStatus() != "COMPLETED" || job.RestoreFinishedDate == nil {
			t.Fatalf("GetFlexRestoreJob after its end: %s", describe(job))
		}
	}
	walk(t, s, "ListFlexRestoreJobs", 2,
		func(n int) (*admin.PaginatedApiAtlasFlexBackupRestoreJob20241113, *http.Response, error) {
			return c.FlexRestoreJobsApi.ListFlexRestoreJobs(ctx, project, "prod-orders").ItemsPerPage(1).PageNum(n).Execute()
		},
		func(p *admin.PaginatedApiAtlasFlexBackupRestoreJob20241113) int { return len(p.GetResults()) })
	// The Atlas CLI switches to the clusters API on this code, for a dedicated cluster's name.
	_, res, err = c.FlexRestoreJobsApi.ListFlexRestoreJobs(ctx, project, "prod-cluster").Execute()
	refused(t, "ListFlexRestoreJobs (a dedicated cluster)", res, err, http.StatusBadRequest,
		"CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API")
}

func (s *session) dedicated(t *testing.T) {
	c, ctx := s.client, s.ctx
	cluster, res, err := c.ClustersApi.GetCluster(ctx, project, "prod-cluster").Execute()
	s.ok(t, "GetCluster", cluster, res, err, http.StatusOK)
	if cluster.GetClusterType() != "REPLICASET" || cluster.GetStateName() != "IDLE" {
		t.Fatalf("GetCluster: %s %s", cluster.GetClusterType(), cluster.GetStateName())
	}
	_, res, err = c.ClustersApi.GetCluster(ctx, project, "analytics-flex").Execute()
	refused(t, "GetCluster (a Flex cluster)", res, err, http.StatusBadRequest, "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API")

	s.dedicatedSnapshots(t)
	now := emulatorNow(t)
	restore := func(kind string, set func(*admin.DiskBackupSnapshotRestoreJob)) *admin.DiskBackupSnapshotRestoreJob {
		request := admin.NewDiskBackupSnapshotRestoreJob(kind)
		if kind != "download" {
			request.SetTargetGroupId(sandbox)
			request.SetTargetClusterName("staging-cluster")
		}
		set(request)
		job, res, err := c.CloudBackupsApi.CreateBackupRestoreJob(ctx, project, "prod-cluster", request).Execute()
		s.ok(t, "CreateBackupRestoreJob "+kind, job, res, err, http.StatusOK)
		if job.GetDeliveryType() != kind || job.GetCancelled() || job.FinishedAt != nil {
			t.Fatalf("CreateBackupRestoreJob %s: %s", kind, describe(job))
		}
		return job
	}
	automated := restore("automated", func(r *admin.DiskBackupSnapshotRestoreJob) { r.SetSnapshotId("6650a1b2c3d4e5f6a7b8ce02") })
	download := restore("download", func(r *admin.DiskBackupSnapshotRestoreJob) { r.SetSnapshotId("6650a1b2c3d4e5f6a7b8ce02") })
	bySeconds := restore("pointInTime", func(r *admin.DiskBackupSnapshotRestoreJob) {
		r.SetPointInTimeUTCSeconds(int(now.Add(-2 * time.Hour).Unix()))
	})
	byOplog := restore("pointInTime", func(r *admin.DiskBackupSnapshotRestoreJob) {
		r.SetOplogTs(int(now.Add(-3 * time.Hour).Unix()))
		r.SetOplogInc(1)
	})
	target, res, err := c.ClustersApi.GetCluster(ctx, sandbox, "staging-cluster").Execute()
	s.ok(t, "GetCluster (target)", target, res, err, http.StatusOK)
	if target.GetStateName() != "UPDATING" {
		t.Fatalf("the target of running restores is %s", target.GetStateName())
	}

	// Cancel: a download is cancelled; an automated restore, or a sharded cluster's job, is not.
	res, err = c.CloudBackupsApi.CancelBackupRestoreJob(ctx, project, "prod-cluster", download.GetId()).Execute()
	s.ok(t, "CancelBackupRestoreJob (download)", nil, res, err, http.StatusNoContent)
	res, err = c.CloudBackupsApi.CancelBackupRestoreJob(ctx, project, "prod-cluster", automated.GetId()).Execute()
	refused(t, "CancelBackupRestoreJob (automated)", res, err, http.StatusMethodNotAllowed, "RESTORE_JOB_NOT_CANCELLABLE")
	sharded := admin.NewDiskBackupSnapshotRestoreJob("download")
	sharded.SetSnapshotId("6650a1b2c3d4e5f6a7b8ce12")
	shardedJob, res, err := c.CloudBackupsApi.CreateBackupRestoreJob(ctx, project, "prod-sharded", sharded).Execute()
	s.ok(t, "CreateBackupRestoreJob (sharded download)", shardedJob, res, err, http.StatusOK)
	if len(shardedJob.GetComponents()) != 2 {
		t.Fatalf("a sharded job has one component per shard: %s", describe(shardedJob.GetComponents()))
	}
	res, err = c.CloudBackupsApi.CancelBackupRestoreJob(ctx, project, "prod-sharded", shardedJob.GetId()).Execute()
	refused(t, "CancelBackupRestoreJob (sharded)", res, err, http.StatusMethodNotAllowed,
		"ATLAS_BACKUP_CANCEL_SHARD_RESTORE_JOB_NOT_ALLOWED")

	advance(t, pastTheEnd)
	for _, job := range []*admin.DiskBackupSnapshotRestoreJob{automated, download, bySeconds, byOplog} {
		read, res, err := c.CloudBackupsApi.GetBackupRestoreJob(ctx, project, "prod-cluster", job.GetId()).Execute()
		s.ok(t, "GetBackupRestoreJob "+job.GetDeliveryType(), read, res, err, http.StatusOK)
		cancelled := job.GetId() == download.GetId()
		if read.GetCancelled() != cancelled || (read.FinishedAt == nil) != cancelled || read.GetFailed() {
			t.Fatalf("GetBackupRestoreJob %s after its end: %s", job.GetDeliveryType(), describe(read))
		}
	}
	walk(t, s, "ListBackupRestoreJobs", 4,
		func(n int) (*admin.PaginatedCloudBackupRestoreJob, *http.Response, error) {
			return c.CloudBackupsApi.ListBackupRestoreJobs(ctx, project, "prod-cluster").ItemsPerPage(1).PageNum(n).Execute()
		},
		func(p *admin.PaginatedCloudBackupRestoreJob) int { return len(p.GetResults()) })
}

// dedicatedSnapshots drives the snapshot operations: lists (by page and by point in time), gets, the
// sharded views, and one on-demand snapshot to its completion.
func (s *session) dedicatedSnapshots(t *testing.T) {
	c, ctx := s.client, s.ctx
	walk(t, s, "ListBackupSnapshots", 3,
		func(n int) (*admin.PaginatedCloudBackupReplicaSet, *http.Response, error) {
			return c.CloudBackupsApi.ListBackupSnapshots(ctx, project, "prod-cluster").ItemsPerPage(1).PageNum(n).Execute()
		},
		func(p *admin.PaginatedCloudBackupReplicaSet) int { return len(p.GetResults()) })
	now := emulatorNow(t)
	closest := func(what string, request admin.ListBackupSnapshotsApiRequest, want string) {
		list, res, err := request.Execute()
		s.ok(t, what, list, res, err, http.StatusOK)
		ids := []string{}
		for _, snapshot := range list.GetResults() {
			ids = append(ids, snapshot.GetId())
		}
		if len(ids) != 1 || ids[0] != want {
			t.Fatalf("%s: %v, expected only %s", what, ids, want)
		}
	}
	closest("ListBackupSnapshots (pointInTimeUtcSeconds)",
		c.CloudBackupsApi.ListBackupSnapshots(ctx, project, "prod-cluster").PointInTimeUtcSeconds(now.Add(-30*time.Hour).Unix()),
		"6650a1b2c3d4e5f6a7b8ce01")
	closest("ListBackupSnapshots (oplogTs, oplogInc)",
		c.CloudBackupsApi.ListBackupSnapshots(ctx, project, "prod-cluster").OplogTs(now.Add(-2*time.Hour).Unix()).OplogInc(1),
		"6650a1b2c3d4e5f6a7b8ce02")
	snapshot, res, err := c.CloudBackupsApi.GetClusterBackupSnapshot(ctx, project, "prod-cluster", "6650a1b2c3d4e5f6a7b8ce02").Execute()
	s.ok(t, "GetClusterBackupSnapshot", snapshot, res, err, http.StatusOK)
	if snapshot.GetStatus() != "completed" || snapshot.GetReplicaSetName() == "" {
		t.Fatalf("GetClusterBackupSnapshot: %s", describe(snapshot))
	}
	sharded, res, err := c.CloudBackupsApi.GetBackupShardedCluster(ctx, project, "prod-sharded", "6650a1b2c3d4e5f6a7b8ce12").Execute()
	s.ok(t, "GetBackupShardedCluster", sharded, res, err, http.StatusOK)
	if len(sharded.GetMembers()) != 2 {
		t.Fatalf("GetBackupShardedCluster: %s", describe(sharded.GetMembers()))
	}
	allSharded, res, err := c.CloudBackupsApi.ListBackupShardedClusters(ctx, project, "prod-sharded").Execute()
	s.ok(t, "ListBackupShardedClusters", allSharded, res, err, http.StatusOK)
	expectCount(t, "sharded snapshots", len(allSharded.GetResults()), allSharded.GetTotalCount())
	expectCount(t, "sharded snapshots", allSharded.GetTotalCount(), 3)

	request := admin.NewDiskBackupOnDemandSnapshotRequest()
	request.SetDescription("before the conformance run")
	request.SetRetentionInDays(1)
	taken, res, err := c.CloudBackupsApi.TakeSnapshots(ctx, project, "prod-cluster", request).Execute()
	s.ok(t, "TakeSnapshots", taken, res, err, http.StatusOK)
	if taken.GetStatus() != "queued" || taken.GetSnapshotType() != "onDemand" || taken.GetFrequencyType() != "ondemand" {
		t.Fatalf("TakeSnapshots: %s", describe(taken))
	}
	advance(t, pastTheEnd)
	done, res, err := c.CloudBackupsApi.GetClusterBackupSnapshot(ctx, project, "prod-cluster", taken.GetId()).Execute()
	s.ok(t, "GetClusterBackupSnapshot (taken)", done, res, err, http.StatusOK)
	if done.GetStatus() != "completed" {
		t.Fatalf("an on-demand snapshot past its duration is %s", done.GetStatus())
	}
}
