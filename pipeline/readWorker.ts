// One thread of the reader pool (pipeline/readerPool.ts): reads and checks submission files against the
// plan the pool was started with, a few per task. Nothing here touches the database.
import { workerData } from 'piscina';
import type { Plan } from '../core/model';
import { readSubmissionFile, type SubmissionFileReading } from './submissionReading';

const plan = (workerData as { plan: Plan }).plan;

export default async function read(files: string[]): Promise<SubmissionFileReading[]> {
  const readings: SubmissionFileReading[] = [];
  for (const file of files) readings.push(await readSubmissionFile(plan, file));
  return readings;
}
