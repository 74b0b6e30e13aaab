// Matrix: @authwire/axios on the oldest supported axios (1.7.x) — the same scenarios as test/conformance.
import { withAuth } from '@authwire/axios';
import axios from 'axios-v17';
import { axiosDriver } from '../conformance/axios-driver.ts';
import { adapterConformance } from '../conformance/suite.ts';

// The adapter and the driver are typed against the newest axios; the instance is axios 1.7's.
type Instance = Parameters<typeof withAuth>[0];

adapterConformance('axios 1.7', (auth) =>
  axiosDriver(withAuth(axios.create() as unknown as Instance, auth)),
);
