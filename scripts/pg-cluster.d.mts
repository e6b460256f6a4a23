export interface Cluster {
  url: string;
  dir: string;
  port: number;
  bin: string;
  settings: string;
}
export function postgresBinDir(): string | null;
export function startCluster(opts?: {
  parent?: string;
  port?: number;
  settings?: string[];
}): Promise<Cluster>;
export function stopCluster(dir: string, opts?: { remove?: boolean }): void;
export function pgCtl(cluster: Cluster, action: "stop" | "start"): void;
